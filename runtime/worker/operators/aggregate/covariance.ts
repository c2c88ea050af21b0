/**
 * corr / covar_pop / covar_samp of two numeric columns per group, as Spark's F.corr, F.covar_pop,
 * F.covar_samp. Rows where either side is null are skipped. The state is (n, meanX, meanY, m2X,
 * m2Y, cXY), updated one row at a time with the two-variable Welford step and merged with the
 * parallel (Chan et al.) formulas, so partial states from any number of tasks combine without the
 * cancellation that sum-of-products formulas suffer on large values.
 */
import type { Column, Validity } from "../../../batch/column.js";
import { Types } from "../../../expr/types.js";
import { asFloat64, ensure, flagsToBitmap, validityOf, type Accumulator } from "./accumulator.js";

export type CovarianceKind = "corr" | "covar_pop" | "covar_samp";

type Float64Column = { values: Float64Array };

const isValid = (v: Validity, i: number): boolean => v === undefined || ((v[i >>> 3]! >>> (i & 7)) & 1) === 1;

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
    const xs = asFloat64(xCol), ys = asFloat64(yCol);
    const cnt = this.n, mx = this.meanX, my = this.meanY, qx = this.m2X, qy = this.m2Y, cxy = this.cXY;
    const checkNulls = vx !== undefined || vy !== undefined;
    for (let i = 0; i < length; i++) {
      if (checkNulls && !(isValid(vx, i) && isValid(vy, i))) continue;
      const g = gids[i]!, x = xs[i]!, y = ys[i]!;
      const k = ++cnt[g]!;
      const dx = x - mx[g]!, dy = y - my[g]!;
      const nx = mx[g]! + dx / k, ny = my[g]! + dy / k;
      mx[g] = nx; my[g] = ny;
      qx[g]! += dx * (x - nx);
      qy[g]! += dy * (y - ny);
      cxy[g]! += dx * (y - ny);
    }
  }

  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void {
    this.grow(numGroups);
    const [nb, mxb, myb, qxb, qyb, cb] = states.map((s) => (s as unknown as Float64Column).values) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    const cnt = this.n, mx = this.meanX, my = this.meanY, qx = this.m2X, qy = this.m2Y, cxy = this.cXY;
    for (let i = 0; i < length; i++) {
      const b = nb[i]!;
      if (b === 0) continue;
      const g = gids[i]!, a = cnt[g]!, total = a + b;
      const dx = mxb[i]! - mx[g]!, dy = myb[i]! - my[g]!, w = (a * b) / total;
      mx[g]! += (dx * b) / total;
      my[g]! += (dy * b) / total;
      qx[g]! += qxb[i]! + dx * dx * w;
      qy[g]! += qyb[i]! + dy * dy * w;
      cxy[g]! += cb[i]! + dx * dy * w;
      cnt[g] = total;
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
