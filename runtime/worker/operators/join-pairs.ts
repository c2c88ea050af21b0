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
  /** Build rows of key id g: rows[offsets[g] .. offsets[g+1]). Empty when identity (row = key id). */
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
  /** Every build row has its own non-null key, inserted in row order: key id g is build row g. */
  readonly identity: boolean;
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
  const groups = table.size;
  // Every row its own key (ids are first-seen order, so key g is row g): the CSR lists would be
  // the identity, and every reader of an identity build side uses the key id as the row instead.
  if (groups === batch.length) return { batch, table, offsets: new Int32Array(0), rows: new Int32Array(0), identity: true };
  // Null-key rows go to an extra trailing group that no probe id ever reaches.
  for (let i = 0; i < ids.length; i++) if (ids[i]! < 0) ids[i] = groups;
  const { order, offsets } = groupOrder(ids, groups + 1);
  return { batch, table, offsets, rows: order, identity: false };
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

  /**
   * Appends the pairs of probe rows from `row` on (id -1 = no match) until `limit` pairs or the
   * end; returns the next probe row. Whole probe rows only, so a chunk never splits a row's matches.
   */
  fill(probeIds: Int32Array, row: number, n: number, offsets: Int32Array, rows: Int32Array, limit: number, identity = false): number {
    let len = this.length, probe = this.probe, build = this.build;
    if (identity) {
      // Unique build keys: at most one match per probe row and its id is the build row.
      if (probe.length < len + (n - row)) {
        const cap = Math.max(probe.length * 2, len + (n - row));
        const np = new Int32Array(cap); np.set(probe.subarray(0, len)); probe = np;
        const nb = new Int32Array(cap); nb.set(build.subarray(0, len)); build = nb;
      }
      for (; row < n && len < limit; row++) {
        const g = probeIds[row]!;
        if (g >= 0) { probe[len] = row; build[len++] = g; }
      }
      this.probe = probe; this.build = build; this.length = len;
      return row;
    }
    for (; row < n && len < limit; row++) {
      const g = probeIds[row]!;
      if (g < 0) continue;
      const s = offsets[g]!, e = offsets[g + 1]!;
      if (len + e - s > probe.length) {
        const cap = Math.max(probe.length * 2, len + e - s);
        const np = new Int32Array(cap); np.set(probe.subarray(0, len)); probe = np;
        const nb = new Int32Array(cap); nb.set(build.subarray(0, len)); build = nb;
      }
      for (let k = s; k < e; k++) { probe[len] = row; build[len++] = rows[k]!; }
    }
    this.probe = probe; this.build = build; this.length = len;
    return row;
  }
}
