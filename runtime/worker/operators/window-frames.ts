/**
 * Window frames as index ranges: for every row, frame = rows [lo, hi) of its partition.
 * ROWS frames count rows; RANGE frames compare the (single, numeric/date/timestamp) order key
 * with an offset in the key's unit (days for dates, microseconds for timestamps). Peers (rows
 * with equal order keys) share CURRENT ROW in RANGE frames. Both lo and hi never decrease within a
 * partition, which the sliding min/max relies on.
 */
import type { Column } from "../../batch/column.js";
import type { FrameBound, WindowFrame } from "../../expr/ir.js";
import { validFlagsOf } from "../../batch/ops/valid-flags.js";
import { asFloat64 } from "./aggregate/accumulator.js";
import { OperatorError } from "./errors.js";

export interface Layout {
  readonly n: number;
  /** Partition p is rows [partStarts[p], partStarts[p+1]). */
  readonly partStarts: Int32Array;
  /** First row of each row's partition / peer group, and one past its end. */
  readonly partOf: { start: Int32Array; end: Int32Array };
  readonly peer: { start: Int32Array; end: Int32Array };
}

export interface FrameRanges {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

export const DEFAULT_ORDERED_FRAME: WindowFrame = { type: "range", start: { kind: "unboundedPreceding" }, end: { kind: "currentRow" } };
export const WHOLE_PARTITION: WindowFrame = { type: "rows", start: { kind: "unboundedPreceding" }, end: { kind: "unboundedFollowing" } };

function clamp(x: number, a: number, b: number): number {
  return x < a ? a : x > b ? b : x;
}

export function frameRanges(frame: WindowFrame, layout: Layout, orderKey: Column | undefined, ascending: boolean): FrameRanges {
  const { n, partOf, peer } = layout;
  const lo = new Int32Array(n), hi = new Int32Array(n);
  if (frame.type === "rows") {
    const rowBound = (b: FrameBound, i: number, isEnd: boolean): number => {
      const ps = partOf.start[i]!, pe = partOf.end[i]!;
      switch (b.kind) {
        case "unboundedPreceding": return ps;
        case "unboundedFollowing": return pe;
        case "currentRow": return isEnd ? i + 1 : i;
        case "offset": return clamp(i + b.value + (isEnd ? 1 : 0), ps, pe);
      }
    };
    for (let i = 0; i < n; i++) {
      lo[i] = rowBound(frame.start, i, false);
      hi[i] = Math.max(lo[i]!, rowBound(frame.end, i, true));
    }
    return { lo, hi };
  }
  const needsKey = frame.start.kind === "offset" || frame.end.kind === "offset";
  if (needsKey && !orderKey) throw new OperatorError("a RANGE frame with an offset needs exactly one orderBy column; use rowsBetween, or order by one numeric, date or timestamp column");
  const keys = needsKey ? asFloat64(orderKey!) : undefined;
  const valid = needsKey ? validFlagsOf(orderKey!) : undefined;
  const dir = ascending ? 1 : -1;
  // First row j in [from, to) whose key passes `pred`, assuming keys are monotone there (binary search).
  const search = (from: number, to: number, pred: (k: number) => boolean): number => {
    let a = from, b = to;
    while (a < b) { const m = (a + b) >>> 1; if (pred(keys![m]!)) b = m; else a = m + 1; }
    return a;
  };
  for (let i = 0; i < n; i++) {
    const ps = partOf.start[i]!, pe = partOf.end[i]!;
    const isNullKey = valid !== undefined && valid[i] === 0;
    const rangeBound = (b: FrameBound, isEnd: boolean): number => {
      switch (b.kind) {
        case "unboundedPreceding": return ps;
        case "unboundedFollowing": return pe;
        case "currentRow": return isEnd ? peer.end[i]! : peer.start[i]!;
        case "offset": {
          if (isNullKey) return isEnd ? peer.end[i]! : peer.start[i]!;
          // Non-null keys of this partition are the rows outside its null peer group.
          let from = ps, to = pe;
          if (valid) {
            if (valid[ps] === 0) from = peer.end[ps]!;
            if (valid[pe - 1] === 0) to = peer.start[pe - 1]!;
          }
          const target = keys![i]! + dir * b.value;
          return isEnd
            ? search(from, to, (k) => dir * (k - target) > 0)
            : search(from, to, (k) => dir * (k - target) >= 0);
        }
      }
    };
    lo[i] = rangeBound(frame.start, false);
    hi[i] = Math.max(lo[i]!, rangeBound(frame.end, true));
  }
  return { lo, hi };
}
