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

/**
 * A key lookup the caller can run in its own loop: direct[x - base] = id + 1 (0 = absent) while
 * directLookup() gives an array; other keys (new, out of range, or once it hashes) go through
 * findOrInsert with their row.
 */
export interface DirectKeys {
  readonly size: number;
  directLookup(): { readonly direct: Int32Array; readonly base: number } | undefined;
  findOrInsert(x: number, insert: true, row: number): number;
}

export class KeyTable {
  private readonly ints: Int32KeyTable | undefined;
  private readonly coder: KeyWordCoder | undefined;
  private readonly tuples: TupleKeyTable | undefined;
  private readonly bytes: BytesKeyTable | undefined;
  /** mapDictCodes: group id + 1 of each code of groupsDict (0 = not seen yet). */
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
      if (insert && cols.length === 1 && byCodes(only)) return this.mapDictCodes(only, length, out);
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
    const codeGroups = this.codeGroupsFor(col.dictionary), codes = col.codes;
    let i = 0;
    while (i < length) {
      i = knownCodes(codeGroups, codes, i, length, out);
      if (i >= length) break;
      out[i] = this.mapDictRow(col, i);
      i++;
    }
  }

  /** codeGroups for dict: group id + 1 of each code (0 = not seen yet), reset when the dictionary changes. */
  private codeGroupsFor(dict: Column): Int32Array {
    if (dict !== this.groupsDict) {
      this.groupsDict = dict;
      if (this.codeGroups.length < dict.length) this.codeGroups = new Int32Array(dict.length);
      else this.codeGroups.fill(0, 0, dict.length);
    }
    return this.codeGroups;
  }

  /** Maps row i of a dictionary column the usual way (interning, tuple table) and remembers its code's id. */
  private mapDictRow(col: DictColumn, i: number): number {
    const row: DictColumn = { ...col, length: 1, codes: col.codes.subarray(i, i + 1) };
    const one = this.oneId;
    this.tuples!.map(this.coder!.encode([row], 1, true), 1, one, true, this.coder!.bounds);
    const code = col.codes[i]!;
    if (code >= 0 && code < col.dictionary.length) this.codeGroupsFor(col.dictionary)[code] = one[0]! + 1;
    return one[0]!;
  }

  /**
   * The key lookup of a batch as a direct array the caller can index itself (aggregate/fused-sums.ts):
   * one int32/date key in direct mode (direct[x - base] = id + 1), or one dictionary string key
   * (direct[code] = id + 1, per dictionary). Both without nulls; undefined otherwise.
   */
  directKeys(cols: readonly Column[]): { keys: DirectKeys; values: Int32Array } | undefined {
    const col = cols[0];
    if (cols.length !== 1 || col === undefined || (col as { validity: Validity }).validity !== undefined) return undefined;
    const t = this.ints;
    if (t !== undefined) {
      if (col.type.kind !== "int32" && col.type.kind !== "date") return undefined;
      return t.directLookup() !== undefined ? { keys: t, values: (col as { values: Int32Array }).values } : undefined;
    }
    const dict = col as DictColumn;
    if (this.tuples === undefined || !byCodes(dict)) return undefined;
    const codeGroups = this.codeGroupsFor(dict.dictionary), tuples = this.tuples;
    const lookup = { direct: codeGroups, base: 0 };
    const keys: DirectKeys = {
      get size() { return tuples.size; },
      directLookup: () => lookup,
      findOrInsert: (_code: number, _insert: true, row: number) => this.mapDictRow(dict, row),
    };
    return { keys, values: dict.codes };
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

/**
 * Dictionaries up to this size are grouped by code (mapDictCodes, directKeys): each code's first row
 * goes through the usual path on its own (a few microseconds), so a 1e5-entry dictionary (group-by
 * q3's id3) would spend more on those rows than the codes save.
 */
const MAX_DICT_BY_CODES = 256;

function byCodes(col: Column): col is DictColumn {
  const d = col as DictColumn;
  return d.encoding === "dict" && d.validity === undefined && d.dictionary.length <= MAX_DICT_BY_CODES;
}

/** Group ids of rows from.. by code; stops at the first code without one yet. */
function knownCodes(codeGroups: Int32Array, codes: Int32Array, from: number, length: number, out: Int32Array): number {
  let i = from;
  for (; i < length; i++) {
    const id = codeGroups[codes[i]!]! - 1;
    // undefined (a code outside the dictionary) fails this test too: the slow path reports it.
    if (!(id >= 0)) break;
    out[i] = id;
  }
  return i;
}
