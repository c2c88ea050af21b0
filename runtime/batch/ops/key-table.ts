/**
 * KeyTable: assigns dense ids to the distinct values of one or more key columns, across batches,
 * and gives the distinct keys back as columns in id order. Picks a layout by key types:
 *  - no keys: every row is id 0 (global aggregate);
 *  - one int32/date/bool key: an int32 open-addressing table (no encoding);
 *  - one dictionary-encoded string: the dictionary entries are mapped once per batch, then rows
 *    map through their codes (group on codes);
 *  - anything else: row-encoded byte keys.
 */
import type { DictColumn, ListColumn, StringColumn, Utf8Column } from "./column-types.js";
import type { Column, Validity } from "../column.js";
import type { DataType } from "../../expr/types.js";
import { BytesKeyTable, Int32KeyTable } from "./hash-tables.js";
import { encodeKeys, type EncodedRows } from "./key-encoding.js";

const NULL_ROW = new Uint8Array(1);
import { decodeKeys } from "./key-decoding.js";
import { bitmapBytes, isValidAt } from "./validity.js";

export class KeyTable {
  private readonly ints: Int32KeyTable | undefined;
  private readonly bytes: BytesKeyTable | undefined;

  constructor(readonly types: readonly DataType[]) {
    const single = types.length === 1 ? types[0]!.kind : undefined;
    if (single === "int32" || single === "date" || single === "bool") this.ints = new Int32KeyTable();
    else if (types.length > 0) this.bytes = new BytesKeyTable();
  }

  get size(): number {
    if (this.ints) return this.ints.size;
    if (this.bytes) return this.bytes.size;
    return 1;
  }

  /** Writes the id of every row into out[0..length); insert = false gives -1 for unseen keys. */
  map(cols: readonly Column[], length: number, out: Int32Array, insert: boolean): void {
    if (this.ints) return this.mapInts(cols[0]!, length, out, insert);
    if (!this.bytes) { out.fill(0, 0, length); return; }
    const first = cols[0]!;
    if (cols.length === 1 && first.type.kind === "string" && (first as { encoding: string }).encoding === "dict") {
      return this.mapDictionary(first as DictColumn, length, out, insert);
    }
    this.bytes.map(encodeKeys(cols, length), out, insert);
  }

  private mapInts(col: Column, length: number, out: Int32Array, insert: boolean): void {
    const t = this.ints!;
    if (col.type.kind === "null") { const id = t.nullKey(insert); out.fill(id, 0, length); return; }
    const values = (col as { values: Int32Array | Uint8Array }).values;
    const validity = (col as { validity: Validity }).validity;
    if (validity === undefined && values instanceof Int32Array) {
      t.mapAll(values, length, out, insert);
      return;
    }
    for (let i = 0; i < length; i++) out[i] = isValidAt(validity, i) ? t.findOrInsert(values[i]!, insert) : t.nullKey(insert);
  }

  /** Last dictionary seen and the ids of its entries (-2 = not looked up yet), reused while batches share it. */
  private lastDict: Column | undefined;
  private dictIds = new Int32Array(0);
  private dictEncoded: EncodedRows | undefined;

  private mapDictionary(col: DictColumn, length: number, out: Int32Array, insert: boolean): void {
    const dict = col.dictionary;
    if (dict !== this.lastDict || !this.dictEncoded) {
      this.lastDict = dict;
      this.dictIds = new Int32Array(dict.length).fill(-2);
      this.dictEncoded = encodeKeys([dict], dict.length);
    }
    const ids = this.dictIds, enc = this.dictEncoded, table = this.bytes!;
    const codes = col.codes, validity = col.validity;
    // Entries are looked up lazily, on first use, so a huge dictionary costs only what rows touch.
    for (let i = 0; i < length; i++) {
      const c = codes[i]!;
      const id = ids[c]!;
      if (id >= 0 || (id === -1 && !insert)) continue;
      if (validity !== undefined && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
      ids[c] = table.findOrInsertRow(enc.bytes, enc.offsets[c]!, enc.offsets[c + 1]!, insert);
    }
    if (validity === undefined) { for (let i = 0; i < length; i++) out[i] = ids[codes[i]!]!; return; }
    // The null key is inserted on the first null row only: a validity bitmap does not mean a null
    // row (after a filter every kept row may be valid), and an eager insert made an empty group.
    let nullId = -2;
    for (let i = 0; i < length; i++) {
      if ((validity[i >>> 3]! >>> (i & 7)) & 1) out[i] = ids[codes[i]!]!;
      else out[i] = nullId === -2 ? (nullId = table.findOrInsertRow(NULL_ROW, 0, 1, insert)) : nullId;
    }
  }

  /** The distinct keys, one column per key, row i = key of id i. */
  emitKeys(): Column[] {
    if (this.ints) {
      const t = this.ints, n = t.size, type = this.types[0]!;
      const validity = t.nullId >= 0 ? new Uint8Array(bitmapBytes(n)).fill(255) : undefined;
      if (validity) validity[t.nullId >>> 3]! &= ~(1 << (t.nullId & 7));
      const ints = t.keys.slice(0, n);
      if (t.nullId >= 0) ints[t.nullId] = 0;
      const values = type.kind === "bool" ? Uint8Array.from(ints) : ints;
      return [{ type, length: n, values, validity } as Column];
    }
    if (!this.bytes) return [];
    return decodeKeys(this.bytes.keyArena, this.bytes.keyOffsetsView, this.bytes.size, this.types);
  }

  memoryBytes(): number {
    return this.ints?.memoryBytes() ?? this.bytes?.memoryBytes() ?? 0;
  }
}
