/**
 * The per-row two-variable Welford step of CovarianceAccumulator, one copy per input array type
 * (as numeric-kernels.ts does for sums) so int32 inputs are read in place instead of copied into
 * two fresh Float64Arrays per batch, and each loop stays monomorphic in V8.
 *
 * When a batch has several rows per group, the "shifted sums" loops are cheaper still: no division
 * and no store->load chain through the running means per row, only additions into one strided row
 * of the table per group (n, Σdx, Σdy, Σdx², Σdy², Σdx·dy with dx = x - first x of the group in
 * this batch). Shifting by a value of the group itself keeps the textbook cancellation of
 * Σx² - (Σx)²/n away (the error scales with (mean - shift)² / variance, a few units); the batch's
 * moments then merge into the running state with the same parallel formula as partial states.
 */
import type { Validity } from "../../../batch/column.js";

/** Per-group state arrays: count, means, second moments and the co-moment. */
export interface CovarianceState {
  readonly n: Float64Array;
  readonly meanX: Float64Array;
  readonly meanY: Float64Array;
  readonly m2X: Float64Array;
  readonly m2Y: Float64Array;
  readonly cXY: Float64Array;
}

const bit = (v: Validity, i: number): number => (v === undefined ? 1 : (v[i >>> 3]! >>> (i & 7)) & 1);

export function covarianceI32(gids: Int32Array, xs: Int32Array, ys: Int32Array, vx: Validity, vy: Validity, length: number, st: CovarianceState): void {
  const cnt = st.n, mx = st.meanX, my = st.meanY, qx = st.m2X, qy = st.m2Y, cxy = st.cXY;
  const checkNulls = vx !== undefined || vy !== undefined;
  for (let i = 0; i < length; i++) {
    if (checkNulls && (bit(vx, i) & bit(vy, i)) === 0) continue;
    const g = gids[i]!, x = xs[i]!, y = ys[i]!;
    const r = 1 / ++cnt[g]!;
    const dx = x - mx[g]!, dy = y - my[g]!;
    const nx = mx[g]! + dx * r, ny = my[g]! + dy * r;
    mx[g] = nx; my[g] = ny;
    qx[g]! += dx * (x - nx);
    qy[g]! += dy * (y - ny);
    cxy[g]! += dx * (y - ny);
  }
}

export function covarianceF64(gids: Int32Array, xs: Float64Array, ys: Float64Array, vx: Validity, vy: Validity, length: number, st: CovarianceState): void {
  const cnt = st.n, mx = st.meanX, my = st.meanY, qx = st.m2X, qy = st.m2Y, cxy = st.cXY;
  const checkNulls = vx !== undefined || vy !== undefined;
  for (let i = 0; i < length; i++) {
    if (checkNulls && (bit(vx, i) & bit(vy, i)) === 0) continue;
    const g = gids[i]!, x = xs[i]!, y = ys[i]!;
    const r = 1 / ++cnt[g]!;
    const dx = x - mx[g]!, dy = y - my[g]!;
    const nx = mx[g]! + dx * r, ny = my[g]! + dy * r;
    mx[g] = nx; my[g] = ny;
    qx[g]! += dx * (x - nx);
    qy[g]! += dy * (y - ny);
    cxy[g]! += dx * (y - ny);
  }
}

/** Slots per group in the shifted-sums table. */
export const SHIFTED_WIDTH = 8;

export function shiftedSumsI32(gids: Int32Array, xs: Int32Array, ys: Int32Array, vx: Validity, vy: Validity, length: number, t: Float64Array): void {
  const checkNulls = vx !== undefined || vy !== undefined;
  for (let i = 0; i < length; i++) {
    if (checkNulls && (bit(vx, i) & bit(vy, i)) === 0) continue;
    const k = gids[i]! << 3, x = xs[i]!, y = ys[i]!;
    if (t[k] === 0) { t[k + 6] = x; t[k + 7] = y; }
    const dx = x - t[k + 6]!, dy = y - t[k + 7]!;
    t[k]! += 1; t[k + 1]! += dx; t[k + 2]! += dy; t[k + 3]! += dx * dx; t[k + 4]! += dy * dy; t[k + 5]! += dx * dy;
  }
}

export function shiftedSumsF64(gids: Int32Array, xs: Float64Array, ys: Float64Array, vx: Validity, vy: Validity, length: number, t: Float64Array): void {
  const checkNulls = vx !== undefined || vy !== undefined;
  for (let i = 0; i < length; i++) {
    if (checkNulls && (bit(vx, i) & bit(vy, i)) === 0) continue;
    const k = gids[i]! << 3, x = xs[i]!, y = ys[i]!;
    if (t[k] === 0) { t[k + 6] = x; t[k + 7] = y; }
    const dx = x - t[k + 6]!, dy = y - t[k + 7]!;
    t[k]! += 1; t[k + 1]! += dx; t[k + 2]! += dy; t[k + 3]! += dx * dx; t[k + 4]! += dy * dy; t[k + 5]! += dx * dy;
  }
}

/** Merges one group's moments (count b, means, M2s, co-moment) into the running state (Chan et al.). */
export function mergeMoments(st: CovarianceState, g: number, b: number, meanX: number, meanY: number, m2X: number, m2Y: number, cXY: number): void {
  const a = st.n[g]!, total = a + b;
  const dx = meanX - st.meanX[g]!, dy = meanY - st.meanY[g]!, w = (a * b) / total;
  st.meanX[g]! += (dx * b) / total;
  st.meanY[g]! += (dy * b) / total;
  st.m2X[g]! += m2X + dx * dx * w;
  st.m2Y[g]! += m2Y + dy * dy * w;
  st.cXY[g]! += cXY + dx * dy * w;
  st.n[g] = total;
}

/** Turns each group's shifted sums into moments and merges them into the running state. */
export function mergeShiftedSums(t: Float64Array, groups: number, st: CovarianceState): void {
  for (let g = 0, k = 0; g < groups; g++, k += SHIFTED_WIDTH) {
    const b = t[k]!;
    if (b === 0) continue;
    const sx = t[k + 1]!, sy = t[k + 2]!;
    const mx = sx / b, my = sy / b;
    mergeMoments(st, g, b, t[k + 6]! + mx, t[k + 7]! + my, Math.max(0, t[k + 3]! - sx * mx), Math.max(0, t[k + 4]! - sy * my), t[k + 5]! - sx * my);
  }
}
