/**
 * StringInterner: gives every distinct string of one key column a dense int32 id (0, 1, 2, ...),
 * whatever the batch layout (plain UTF-8 or dictionary codes), so multi-column keys compare and
 * hash ints instead of bytes. A dictionary is mapped entry by entry, lazily (only entries some
 * row uses), and its mapping is reused while batches share the dictionary object.
 * The interned strings come back gathered per id (UTF-8 bytes + offsets) for emitting keys.
 */
import type { DictColumn, Utf8Column } from "./column-types.js";
import type { Column } from "../column.js";
import { BytesKeyTable } from "./hash-tables.js";

/** Word of a null row. */
export const NULL_STRING_ID = -1;
/** Word of a string that is not interned (lookups without insert): matches no stored key. */
export const ABSENT_STRING_ID = -2;
/** Dictionary entry not looked up yet. */
const UNMAPPED = -3;

export class StringInterner {
  private readonly table = new BytesKeyTable();
  private lastDict: Column | undefined;
  private dictIds = new Int32Array(0);
  /** Entries of lastDict not looked up yet, and entries found absent by a lookup without insert. */
  private unmapped = 0;
  private absent = 0;
  private idRange: readonly [number, number] | undefined;

  get size(): number { return this.table.size; }

  memoryBytes(): number { return this.table.memoryBytes() + this.dictIds.byteLength; }

  /** out[i] = id of row i's string, NULL_STRING_ID for null rows, ABSENT_STRING_ID for unknown strings when !insert. */
  internUtf8(col: Utf8Column, length: number, out: Int32Array, insert: boolean): void {
    const { offsets, bytes, validity } = col;
    const t = this.table;
    for (let i = 0; i < length; i++) {
      if (validity !== undefined && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) { out[i] = NULL_STRING_ID; continue; }
      const id = t.findOrInsertRow(bytes, offsets[i]!, offsets[i + 1]!, insert);
      out[i] = id < 0 ? ABSENT_STRING_ID : id;
    }
  }

  internDict(col: DictColumn, length: number, out: Int32Array, insert: boolean): void {
    const dict = col.dictionary as Utf8Column;
    if (dict !== this.lastDict) {
      this.lastDict = dict;
      if (this.dictIds.length < dict.length) this.dictIds = new Int32Array(dict.length);
      this.dictIds.fill(UNMAPPED, 0, dict.length);
      this.unmapped = dict.length;
      this.absent = 0;
      this.idRange = undefined;
    }
    // A dictionary no bigger than the batch is mapped whole, once; rows then only gather ids.
    if (dict.length <= length && (this.unmapped > 0 || (insert && this.absent > 0))) {
      for (let c = 0; c < dict.length; c++) this.mapEntry(dict, c, insert);
    }
    const ids = this.dictIds, codes = col.codes, validity = col.validity;
    if (this.unmapped === 0 && (this.absent === 0 || !insert)) {
      if (validity === undefined) { for (let i = 0; i < length; i++) out[i] = ids[codes[i]!]!; return; }
      for (let i = 0; i < length; i++) out[i] = ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0 ? NULL_STRING_ID : ids[codes[i]!]!;
      return;
    }
    for (let i = 0; i < length; i++) {
      // Null rows may carry any code (even -1): test validity before touching the dictionary.
      if (validity !== undefined && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) { out[i] = NULL_STRING_ID; continue; }
      const c = codes[i]!;
      const id = ids[c]!;
      out[i] = id === UNMAPPED || (id === ABSENT_STRING_ID && insert) ? this.mapEntry(dict, c, insert) : id;
    }
  }

  /**
   * [min, max] of the ids the last dictionary's entries map to, when every entry is mapped (then
   * every non-null row's id lies in it); undefined otherwise. Computed once per dictionary.
   */
  dictionaryIdRange(): readonly [number, number] | undefined {
    if (this.lastDict === undefined || this.unmapped > 0) return undefined;
    if (this.idRange === undefined) {
      const ids = this.dictIds, n = this.lastDict.length;
      let min = n > 0 ? ids[0]! : 0, max = min;
      for (let c = 1; c < n; c++) { const x = ids[c]!; min = x < min ? x : min; max = x > max ? x : max; }
      this.idRange = [min, max];
    }
    return this.idRange;
  }

  /** Looks dictionary entry c up (interning it when insert); an entry absent before is tried again once inserts are allowed. */
  private mapEntry(dict: Utf8Column, c: number, insert: boolean): number {
    const before = this.dictIds[c]!;
    if (before >= 0 || (before === ABSENT_STRING_ID && !insert)) return before;
    if (before === UNMAPPED) this.unmapped--; else this.absent--;
    const found = this.table.findOrInsertRow(dict.bytes, dict.offsets[c]!, dict.offsets[c + 1]!, insert);
    const id = found < 0 ? ABSENT_STRING_ID : found;
    if (id === ABSENT_STRING_ID) this.absent++;
    this.dictIds[c] = id;
    this.idRange = undefined;
    return id;
  }

  /** The strings of ids[0..n) as a UTF-8 column; ids < 0 are null rows (empty, marked in validity by the caller). */
  gather(ids: Int32Array, n: number): { offsets: Int32Array; bytes: Uint8Array } {
    const ko = this.table.keyOffsetsView, arena = this.table.keyArena;
    const offsets = new Int32Array(n + 1);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (id >= 0) total += ko[id + 1]! - ko[id]!;
      offsets[i + 1] = total;
    }
    const bytes = new Uint8Array(total);
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (id < 0) continue;
      const s = ko[id]!, e = ko[id + 1]!;
      let p = offsets[i]!;
      // Short strings copy byte by byte: cheaper than making a subarray view per key.
      if (e - s <= 16) for (let k = s; k < e; k++) bytes[p++] = arena[k]!;
      else bytes.set(arena.subarray(s, e), p);
    }
    return { offsets, bytes };
  }
}
