/**
 * sum(DISTINCT x), avg(DISTINCT x), ...: feeds the inner accumulator only the first occurrence of
 * each (group, value) pair, found through a byte-key hash table. The planner runs distinct
 * aggregates in one pass ("complete") after shuffling rows on the keys, so there is no partial
 * state to merge.
 */
import type { Column } from "../../../batch/column.js";
import type { DataType } from "../../../expr/types.js";
import { Types } from "../../../expr/types.js";
import { BytesKeyTable } from "../../../batch/ops/hash-tables.js";
import { encodeKeys } from "../../../batch/ops/key-encoding.js";
import { takeColumn } from "../../../batch/ops/take.js";
import { OperatorError } from "../errors.js";
import type { Accumulator } from "./accumulator.js";

export class DistinctAccumulator implements Accumulator {
  private readonly seen = new BytesKeyTable();
  get stateTypes(): readonly DataType[] { return this.inner.stateTypes; }

  constructor(private readonly inner: Accumulator, private readonly name: string) {}

  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    const gidCol: Column = { type: Types.int32, length, values: gids, validity: undefined };
    const enc = encodeKeys([gidCol, ...args], length);
    const keep = new Int32Array(length);
    let n = 0;
    for (let i = 0; i < length; i++) {
      const before = this.seen.size;
      this.seen.findOrInsertRow(enc.bytes, enc.offsets[i]!, enc.offsets[i + 1]!, true);
      if (this.seen.size > before) keep[n++] = i;
    }
    if (n === 0) return;
    const idx = keep.subarray(0, n);
    const keptGids = new Int32Array(n);
    for (let k = 0; k < n; k++) keptGids[k] = gids[idx[k]!]!;
    this.inner.update(keptGids, args.map((a) => takeColumn(a, idx)), n, numGroups);
  }

  merge(): void {
    throw new OperatorError(`${this.name}: a DISTINCT aggregate cannot merge partial states; plan it in one pass (complete mode)`);
  }

  state(numGroups: number): Column[] { return this.inner.state(numGroups); }
  finish(numGroups: number): Column { return this.inner.finish(numGroups); }
  memoryBytes(): number { return this.seen.memoryBytes() + this.inner.memoryBytes(); }
}
