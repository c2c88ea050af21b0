/**
 * corr / covar_pop / covar_samp of two numeric columns per group, as Spark's F.corr, F.covar_pop,
 * F.covar_samp. Rows where either side is null are skipped. The state is (n, meanX, meanY, m2X,
 * m2Y, cXY), updated one row at a time with the two-variable Welford step and merged with the
 * parallel (Chan et al.) formulas, so partial states from any number of tasks combine without the
 * cancellation that sum-of-products formulas suffer on large values.
 */
import type { Column } from "../../../batch/column.js";
import { Types } from "../../../expr/types.js";
import { asFloat64, ensure, flagsToBitmap, validityOf, type Accumulator } from "./accumulator.js";
import {
  covarianceF64, covarianceI32, mergeMoments, mergeShiftedSums, SHIFTED_WIDTH, shiftedSumsF64, shiftedSumsI32, type CovarianceState,
} from "./covariance-kernels.js";

/** Rows per group from which a batch goes through the shifted sums instead of Welford per row. */
const MIN_ROWS_PER_GROUP = 4;

export type CovarianceKind = "corr" | "covar_pop" | "covar_samp";

type Float64Column = { values: Float64Array };

/** int32/date values read in place (the common q9 case: two int32 columns). */
function int32Values(col: Column): Int32Array | undefined {
  return col.type.kind === "int32" || col.type.kind === "date" ? (col as { values: Int32Array }).values : undefined;
}

export class CovarianceAccumulator implements Accumulator {
  readonly stateTypes = [Types.float64, Types.float64, Types.float64, Types.float64, Types.float64, Types.float64];
  private n = new Float64Array(16);
  private meanX = new Float64Array(16);
  private meanY = new Float64Array(16);
  private m2X = new Float64Array(16);
  private m2Y = new Float64Array(16);
  private cXY = new Float64Array(16);
  constructor(private readonly kind: CovarianceKind) {}

  private grow(k: number): void {
    this.n = ensure(this.n, k); this.meanX = ensure(this.meanX, k); this.meanY = ensure(this.meanY, k);
    this.m2X = ensure(this.m2X, k); this.m2Y = ensure(this.m2Y, k); this.cXY = ensure(this.cXY, k);
  }

  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    this.grow(numGroups);
    const xCol = args[0]!, yCol = args[1]!;
    const vx = validityOf(xCol), vy = validityOf(yCol);
    if (vx === null || vy === null) return; // a null-typed side: every row is skipped
    const st = this.stateArrays();
    const ix = int32Values(xCol), iy = int32Values(yCol);
    if (numGroups * MIN_ROWS_PER_GROUP <= length) {
      // Several rows per group: per-batch shifted sums, merged once per group.
      const t = new Float64Array(numGroups * SHIFTED_WIDTH);
      if (ix && iy) shiftedSumsI32(gids, ix, iy, vx, vy, length, t);
      else shiftedSumsF64(gids, asFloat64(xCol), asFloat64(yCol), vx, vy, length, t);
      mergeShiftedSums(t, numGroups, st);
    } else if (ix && iy) covarianceI32(gids, ix, iy, vx, vy, length, st);
    else covarianceF64(gids, asFloat64(xCol), asFloat64(yCol), vx, vy, length, st);
  }

  private stateArrays(): CovarianceState {
    return { n: this.n, meanX: this.meanX, meanY: this.meanY, m2X: this.m2X, m2Y: this.m2Y, cXY: this.cXY };
  }

  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void {
    this.grow(numGroups);
    const [nb, mxb, myb, qxb, qyb, cb] = states.map((s) => (s as unknown as Float64Column).values) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    const st = this.stateArrays();
    for (let i = 0; i < length; i++) {
      const b = nb[i]!;
      if (b !== 0) mergeMoments(st, gids[i]!, b, mxb[i]!, myb[i]!, qxb[i]!, qyb[i]!, cb[i]!);
    }
  }

  state(k: number): Column[] {
    this.grow(k);
    return [this.n, this.meanX, this.meanY, this.m2X, this.m2Y, this.cXY]
      .map((a) => ({ type: Types.float64, length: k, values: a.slice(0, k), validity: undefined }));
  }

  /**
   * As Spark: no rows gives null; covar_samp and corr need two rows; covar_pop of one row is 0.
   * corr with a constant side divides by zero, which is null in Spark's (non-ANSI) division.
   */
  finish(k: number): Column {
    this.grow(k);
    const out = new Float64Array(k), flags = new Uint8Array(k);
    for (let g = 0; g < k; g++) {
      const c = this.n[g]!;
      if (this.kind === "covar_pop") {
        if (c < 1) continue;
        out[g] = this.cXY[g]! / c;
      } else if (this.kind === "covar_samp") {
        if (c < 2) continue;
        out[g] = this.cXY[g]! / (c - 1);
      } else {
        if (c < 2) continue;
        const denom = Math.sqrt(this.m2X[g]! * this.m2Y[g]!);
        if (!(denom > 0)) continue;
        out[g] = this.cXY[g]! / denom;
      }
      flags[g] = 1;
    }
    return { type: Types.float64, length: k, values: out, validity: flagsToBitmap(flags, k) };
  }

  memoryBytes(): number { return this.n.byteLength * 6; }
}
