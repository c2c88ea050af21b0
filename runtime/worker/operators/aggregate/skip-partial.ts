/**
 * Skipping partial aggregation when it does not reduce (DataFusion's
 * skip_partial_aggregation_probe_rows_threshold / _ratio_threshold; Spark and DuckDB do alike).
 * A partial aggregate over nearly unique keys (db-benchmark q10: ~1e7 groups from 1e7 rows) hashes
 * every row only to emit as many groups as it read, and the final aggregate hashes them all again.
 * After `probeRows` input rows, if groups/rows exceeds `minRatio`, the partial side stops hashing
 * and emits each input batch converted straight into state rows (keys + one state per row), so
 * the final aggregate does the grouping once.
 */
import type { Column } from "../../../batch/column.js";
import type { StringColumn } from "../../../batch/ops/column-types.js";
import type { AggregateCall } from "../../../physical/plan.js";
import type { DataType } from "../../../expr/types.js";
import { createAccumulator } from "./factory.js";

/**
 * Tunable for tests. minRatio is DataFusion's; probeRows is 10x DataFusion's 100k: a probe sees only
 * a sample, and 1e6 keys spread over 5e7 rows (db-benchmark q3/q5/q7 at 1e8, 50x reduction) look
 * ~95% distinct in their first 100k rows but ~63% in their first 1M. Truly unique keys (q10) pay
 * for grouping 1M rows once per partition before the switch.
 */
export const skipPartialPolicy = { probeRows: 1_000_000, minRatio: 0.8 };

/** Decides once, after enough rows, whether partial aggregation reduces enough to keep it. */
export class PartialReductionProbe {
  private rows = 0;
  private decided = false;

  /** Rows still to see before deciding (0 once decided): a bigger batch is probed on its first rows. */
  get remaining(): number {
    return this.decided ? 0 : Math.max(0, skipPartialPolicy.probeRows - this.rows);
  }

  /** Counts a consumed batch; true exactly once, when the probe finds the partial step useless. */
  shouldSkip(batchRows: number, groups: number): boolean {
    if (this.decided) return false;
    this.rows += batchRows;
    if (this.rows < skipPartialPolicy.probeRows) return false;
    this.decided = true;
    return groups > skipPartialPolicy.minRatio * this.rows;
  }
}

/**
 * Rows [start, length) of key columns as views (no copy), for mapping the rest of a batch whose first
 * rows were probed; start must be a multiple of 8 (validity bitmaps are viewed by whole bytes).
 * Undefined when a column cannot be viewed that way (UTF-8 strings, lists): map the whole batch then.
 */
export function tailViews(cols: readonly Column[], start: number): Column[] | undefined {
  const out: Column[] = [];
  for (const col of cols) {
    const n = col.length - start;
    const kind = col.type.kind;
    if (kind === "null") { out.push({ type: col.type, length: n } as Column); continue; }
    if (kind === "list") return undefined;
    if (kind === "string") {
      const s = col as StringColumn;
      if (s.encoding !== "dict") return undefined;
      out.push({ ...s, length: n, codes: s.codes.subarray(start), validity: s.validity?.subarray(start >>> 3) });
      continue;
    }
    const c = col as Extract<Column, { values: unknown }>;
    out.push({ ...c, length: n, values: c.values.subarray(start), validity: c.validity?.subarray(start >>> 3) } as Column);
  }
  return out;
}

let identity = new Int32Array(0);

/** 0, 1, ..., n-1: each row is its own group. */
function identityIds(n: number): Int32Array {
  if (identity.length < n) {
    identity = new Int32Array(Math.max(n, 65536));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
  }
  return identity.subarray(0, n);
}

/**
 * The partial state columns of every row of a batch taken as its own group: each aggregate's
 * accumulator updated with ids 0..n-1 and asked for its state, so the states are exactly what a
 * partial aggregate would emit for n singleton groups (the final side merges them as usual).
 */
export function rowStates(aggs: readonly AggregateCall[], argTypes: readonly DataType[][], args: readonly Column[][], n: number): Column[] {
  const ids = identityIds(n);
  return aggs.flatMap((call, i) => {
    const acc = createAccumulator(call, argTypes[i]!);
    acc.update(ids, args[i]!, n, n);
    return acc.state(n);
  });
}
