/**
 * Aggregates that keep the values themselves: collect_list, collect_set, count_distinct (a
 * collect_set that reports its size). Values are appended as column pieces with their group ids
 * — no per-group arrays — and grouped at the end by a stable counting sort on group id.
 * (median/percentile keep plain float64 values: percentile.ts.)
 */
import type { Column } from "../../../batch/column.js";
import type { DataType } from "../../../expr/types.js";
import { Types } from "../../../expr/types.js";
import type { ListColumn } from "../../../batch/ops/column-types.js";
import { concatColumns } from "../../../batch/ops/concat.js";
import { BytesKeyTable } from "../../../batch/ops/hash-tables.js";
import { encodeKeys } from "../../../batch/ops/key-encoding.js";
import { takeColumn } from "../../../batch/ops/take.js";
import { validFlags, type Accumulator } from "./accumulator.js";

/** Stable order of rows by group id, plus per-group offsets into that order. */
export function groupOrder(gids: Int32Array, numGroups: number): { order: Int32Array; offsets: Int32Array } {
  const offsets = new Int32Array(numGroups + 1);
  for (let i = 0; i < gids.length; i++) offsets[gids[i]! + 1]!++;
  for (let g = 0; g < numGroups; g++) offsets[g + 1]! += offsets[g]!;
  const cursor = offsets.slice(0, numGroups);
  const order = new Int32Array(gids.length);
  for (let i = 0; i < gids.length; i++) order[cursor[gids[i]!]!++] = i;
  return { order, offsets };
}

function concatInt32(parts: readonly Int32Array[]): Int32Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Int32Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export class CollectAccumulator implements Accumulator {
  readonly stateTypes: DataType[];
  private values: Column[] = [];
  private gidParts: Int32Array[] = [];
  private readonly seen: BytesKeyTable | undefined;
  private bytes = 0;

  constructor(protected readonly elementType: DataType, distinct: boolean) {
    this.stateTypes = [Types.list(elementType)];
    this.seen = distinct ? new BytesKeyTable() : undefined;
  }

  update(gids: Int32Array, args: readonly Column[], length: number, _numGroups: number): void {
    this.add(gids, args[0]!, length);
  }

  merge(gids: Int32Array, states: readonly Column[], length: number, _numGroups: number): void {
    const list = states[0] as ListColumn;
    const start = list.offsets[0]!, end = list.offsets[length]!;
    const childGids = new Int32Array(end - start);
    for (let i = 0; i < length; i++) childGids.fill(gids[i]!, list.offsets[i]! - start, list.offsets[i + 1]! - start);
    const idx = new Int32Array(end - start);
    for (let k = 0; k < idx.length; k++) idx[k] = start + k;
    this.add(childGids, start === 0 && end === list.child.length ? list.child : takeColumn(list.child, idx), end - start);
  }

  private add(gids: Int32Array, col: Column, length: number): void {
    const f = validFlags(col);
    let keep = new Int32Array(length);
    let n = 0;
    if (this.seen) {
      const gidCol: Column = { type: Types.int32, length, values: gids, validity: undefined };
      const enc = encodeKeys([gidCol, col], length);
      for (let i = 0; i < length; i++) {
        if (!f[i]) continue;
        const before = this.seen.size;
        this.seen.findOrInsertRow(enc.bytes, enc.offsets[i]!, enc.offsets[i + 1]!, true);
        if (this.seen.size > before) keep[n++] = i;
      }
    } else {
      for (let i = 0; i < length; i++) if (f[i]) keep[n++] = i;
    }
    if (n === 0) return;
    keep = keep.subarray(0, n);
    const piece = n === length && col.length === length ? col : takeColumn(col, keep);
    const pieceGids = new Int32Array(n);
    for (let k = 0; k < n; k++) pieceGids[k] = gids[keep[k]!]!;
    this.values.push(piece);
    this.gidParts.push(pieceGids);
    this.bytes += n * 12;
  }

  /** Values grouped by group id: child column in group order and list offsets. */
  protected grouped(numGroups: number): { child: Column; offsets: Int32Array } {
    const all = concatColumns(this.values, this.elementType);
    const gids = concatInt32(this.gidParts);
    const { order, offsets } = groupOrder(gids, numGroups);
    return { child: takeColumn(all, order), offsets };
  }

  state(numGroups: number): Column[] {
    const { child, offsets } = this.grouped(numGroups);
    return [{ type: Types.list(this.elementType), length: numGroups, offsets, child, validity: undefined } as Column];
  }

  finish(numGroups: number): Column {
    return this.state(numGroups)[0]!;
  }

  memoryBytes(): number {
    return this.bytes + (this.seen?.memoryBytes() ?? 0);
  }
}

export class CountDistinctAccumulator extends CollectAccumulator {
  constructor(elementType: DataType) { super(elementType, true); }
  override finish(numGroups: number): Column {
    const { offsets } = this.grouped(numGroups);
    const out = new BigInt64Array(numGroups);
    for (let g = 0; g < numGroups; g++) out[g] = BigInt(offsets[g + 1]! - offsets[g]!);
    return { type: Types.int64, length: numGroups, values: out, validity: undefined };
  }
}
