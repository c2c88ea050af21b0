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

export class KeyTable {
  private readonly ints: Int32KeyTable | undefined;
  private readonly coder: KeyWordCoder | undefined;
  private readonly tuples: TupleKeyTable | undefined;
  private readonly bytes: BytesKeyTable | undefined;

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
      this.tuples.map(this.coder!.encode(cols, length, insert), length, out, insert, this.coder!.bounds);
      return;
    }
    if (!this.bytes) { out.fill(0, 0, length); return; }
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
