/**
 * KeyTable: assigns dense ids to the distinct values of one or more key columns, across batches,
 * and gives the distinct keys back as columns in id order. Picks a layout by key types:
 *  - no keys: every row is id 0 (global aggregate);
 *  - one int32/date/bool key: an int32 table (direct array over the value range, else open
 *    addressing), no encoding at all;
 *  - other keys (strings, several columns, 8-byte types): each column becomes int32 words
 *    (key-words.ts: strings through a per-column intern table, dictionaries mapped once per
 *    dictionary), and the word tuples go into a TupleKeyTable (perfect hashing over small key
 *    spaces, else a column-wise hash table);
 *  - list keys: the row-encoded byte path, which rejects them with a message.
 */
import type { Column, Validity } from "../column.js";
import type { DataType } from "../../expr/types.js";
import { BytesKeyTable, Int32KeyTable } from "./hash-tables.js";
import { encodeKeys } from "./key-encoding.js";
import { decodeKeys } from "./key-decoding.js";
import { KeyWordCoder, wordsSupport } from "./key-words.js";
import { TupleKeyTable } from "./tuple-table.js";
import { bitmapBytes, isValidAt } from "./validity.js";
import type { DictColumn } from "./column-types.js";

export class KeyTable {
  private readonly ints: Int32KeyTable | undefined;
  private readonly coder: KeyWordCoder | undefined;
  private readonly tuples: TupleKeyTable | undefined;
  private readonly bytes: BytesKeyTable | undefined;
  /** mapDictCodes: the group id of each code of groupsDict (-1 = not seen yet). */
  private groupsDict: Column | undefined;
  private codeGroups = new Int32Array(0);
  private readonly oneId = new Int32Array(1);

  constructor(readonly types: readonly DataType[]) {
    const single = types.length === 1 ? types[0]!.kind : undefined;
    if (single === "int32" || single === "date" || single === "bool") this.ints = new Int32KeyTable();
    else if (wordsSupport(types)) {
      this.coder = new KeyWordCoder(types);
      this.tuples = new TupleKeyTable(this.coder.width);
    } else if (types.length > 0) this.bytes = new BytesKeyTable();
  }

  get size(): number {
    if (this.ints) return this.ints.size;
    if (this.tuples) return this.tuples.size;
    if (this.bytes) return this.bytes.size;
    return 1;
  }

  /** Writes the id of every row into out[0..length); insert = false gives -1 for unseen keys. */
  map(cols: readonly Column[], length: number, out: Int32Array, insert: boolean): void {
    if (this.ints) return this.mapInts(cols[0]!, length, out, insert);
    if (this.tuples) {
      if (length === 0) return;
      const only = cols[0] as DictColumn;
      if (insert && cols.length === 1 && only.encoding === "dict" && only.validity === undefined) return this.mapDictCodes(only, length, out);
      this.tuples.map(this.coder!.encode(cols, length, insert), length, out, insert, this.coder!.bounds);
      return;
    }
    if (!this.bytes) { out.fill(0, 0, length); return; }
    this.bytes.map(encodeKeys(cols, length), out, insert);
  }

  /**
   * One dictionary-encoded string key without nulls (group-by q1): the group id of each dictionary
   * code is remembered while batches share the dictionary, so a row costs one gather
   * (codeGroups[code]) instead of interning the code, then looking the word up. A code seen for the
   * first time goes through the usual path for its row alone, so ids stay in first-seen order.
   */
  private mapDictCodes(col: DictColumn, length: number, out: Int32Array): void {
    const dict = col.dictionary;
    if (dict !== this.groupsDict) {
      this.groupsDict = dict;
      if (this.codeGroups.length < dict.length) this.codeGroups = new Int32Array(dict.length);
      this.codeGroups.fill(-1, 0, dict.length);
    }
    const codeGroups = this.codeGroups, codes = col.codes, one = this.oneId;
    let i = 0;
    while (i < length) {
      i = knownCodes(codeGroups, codes, i, length, out);
      if (i >= length) break;
      const row: DictColumn = { ...col, length: 1, codes: codes.subarray(i, i + 1) };
      this.tuples!.map(this.coder!.encode([row], 1, true), 1, one, true, this.coder!.bounds);
      const code = codes[i]!;
      if (code >= 0 && code < dict.length) codeGroups[code] = one[0]!;
      out[i++] = one[0]!;
    }
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
    if (this.tuples) { const t = this.tuples; return this.coder!.emit((w) => t.wordColumn(w), t.size); }
    if (!this.bytes) return [];
    return decodeKeys(this.bytes.keyArena, this.bytes.keyOffsetsView, this.bytes.size, this.types);
  }

  memoryBytes(): number {
    if (this.tuples) return this.tuples.memoryBytes() + this.coder!.memoryBytes();
    return this.ints?.memoryBytes() ?? this.bytes?.memoryBytes() ?? 0;
  }
}

/** Group ids of rows from.. by code; stops at the first code without one yet. */
function knownCodes(codeGroups: Int32Array, codes: Int32Array, from: number, length: number, out: Int32Array): number {
  let i = from;
  for (; i < length; i++) {
    const id = codeGroups[codes[i]!]!;
    // undefined (a code outside the dictionary) fails this test too: the slow path reports it.
    if (!(id >= 0)) break;
    out[i] = id;
  }
  return i;
}
