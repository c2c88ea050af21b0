/**
 * Range partitioning bounds from the map tasks' key samples: sort the sampled keys under the
 * requested order and take n-1 evenly spaced rows. Reducer r then holds keys in
 * (bound[r-1], bound[r]], so the reducers' outputs concatenated in order are globally sorted.
 */
import type { Batch } from "../batch/column.js";
import { concatBatches, takeRows } from "../batch/gather.js";
import type { SortOrder } from "../expr/ir.js";
import { compareRows } from "../shuffle/compare.js";

export function rangeBounds(samples: readonly Batch[], order: readonly SortOrder[], n: number): Batch | undefined {
  const nonEmpty = samples.filter((s) => s.length > 0);
  if (nonEmpty.length === 0 || n <= 1) return undefined;
  const all = concatBatches(nonEmpty);
  const idx = Array.from({ length: all.length }, (_, i) => i);
  idx.sort((a, b) => compareRows(all.columns, a, all.columns, b, order));
  const picks: number[] = [];
  for (let r = 1; r < n; r++) picks.push(idx[Math.min(idx.length - 1, Math.floor((r * idx.length) / n))]!);
  return takeRows(all, Uint32Array.from(picks));
}
