/**
 * The build side of a hash join: all build rows, their key ids in a KeyTable, and the rows of
 * each key as a CSR list (offsets + row order), so probing is one table lookup per probe row and
 * then a contiguous run of build rows. Rows whose key has a null never match (SQL equality).
 */
import type { Batch, Column } from "../../batch/column.js";
import { KeyTable } from "../../batch/ops/key-table.js";
import { validFlagsOf } from "../../batch/ops/valid-flags.js";
import { groupOrder } from "./aggregate/collect.js";

export interface BuildSide {
  readonly batch: Batch;
  readonly table: KeyTable;
  /** Build rows of key id g: rows[offsets[g] .. offsets[g+1]). */
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
}

/** Marks with -1 the ids of rows where any key column is null. */
export function dropNullKeys(keys: readonly Column[], ids: Int32Array, length: number): void {
  for (const k of keys) {
    const f = validFlagsOf(k);
    if (!f) continue;
    for (let i = 0; i < length; i++) if (!f[i]) ids[i] = -1;
  }
}

export function buildSide(batch: Batch, keys: readonly Column[]): BuildSide {
  const table = new KeyTable(keys.map((k) => k.type));
  const ids = new Int32Array(batch.length);
  table.map(keys, batch.length, ids, true);
  dropNullKeys(keys, ids, batch.length);
  // Null-key rows go to an extra trailing group that no probe id ever reaches.
  const groups = table.size;
  for (let i = 0; i < ids.length; i++) if (ids[i]! < 0) ids[i] = groups;
  const { order, offsets } = groupOrder(ids, groups + 1);
  return { batch, table, offsets, rows: order };
}

/** Growable pair list (probe row, build row). */
export class PairBuffer {
  probe = new Int32Array(1024);
  build = new Int32Array(1024);
  length = 0;
  push(p: number, b: number): void {
    if (this.length === this.probe.length) {
      const np = new Int32Array(this.length * 2); np.set(this.probe); this.probe = np;
      const nb = new Int32Array(this.length * 2); nb.set(this.build); this.build = nb;
    }
    this.probe[this.length] = p;
    this.build[this.length++] = b;
  }
  clear(): void { this.length = 0; }
}
