/**
 * Dictionary-encodes low-cardinality string columns of a table with ONE dictionary per column
 * for all its batches, so group-bys and joins work on int32 codes (and a dictionary shared by
 * every batch is mapped once, not once per batch). Strings are compared as UTF-8 bytes in an
 * open-addressing table; no JS strings are made.
 */
import type { Batch, Column } from "./column.js";
import type { DictColumn, Utf8Column } from "./kinds.js";
import { hashBytes } from "../shuffle/hash.js";
import { isValid } from "./validity.js";

/** Encode when distinct values are at most this fraction of the rows. */
const MAX_DISTINCT_RATIO = 0.5;

class ByteStringSet {
  private slots: Int32Array;
  private readonly offsets: number[] = [0];
  private bytes = new Uint8Array(1024);
  private used = 0;

  constructor(expected: number) {
    this.slots = new Int32Array(Math.max(16, nextPow2(expected * 2))).fill(-1);
  }

  get size(): number {
    return this.offsets.length - 1;
  }

  /** Code of bytes[start, end), added if new. */
  intern(src: Uint8Array, start: number, end: number): number {
    const mask = this.slots.length - 1;
    let slot = hashBytes(src, start, end) & mask;
    for (;;) {
      const code = this.slots[slot]!;
      if (code < 0) break;
      if (this.equals(code, src, start, end)) return code;
      slot = (slot + 1) & mask;
    }
    const code = this.size;
    const len = end - start;
    if (this.used + len > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + len));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(src.subarray(start, end), this.used);
    this.used += len;
    this.offsets.push(this.used);
    this.slots[slot] = code;
    if (this.size * 2 > this.slots.length) this.rehash();
    return code;
  }

  private equals(code: number, src: Uint8Array, start: number, end: number): boolean {
    const a = this.offsets[code]!;
    const b = this.offsets[code + 1]!;
    if (b - a !== end - start) return false;
    for (let i = 0; i < b - a; i++) if (this.bytes[a + i] !== src[start + i]) return false;
    return true;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let code = 0; code < this.size; code++) {
      let slot = hashBytes(this.bytes, this.offsets[code]!, this.offsets[code + 1]!) & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = code;
    }
    this.slots = slots;
  }

  toColumn(): Utf8Column {
    return { type: { kind: "string" }, length: this.size, encoding: "utf8", offsets: Int32Array.from(this.offsets), bytes: this.bytes.slice(0, this.used), validity: undefined };
  }
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * The batches with column `index` dictionary-encoded across all of them, or undefined when the
 * column is not worth encoding (too many distinct values) or is not plain UTF-8.
 */
function encodeColumnAcross(batches: readonly Batch[], index: number): Column[] | undefined {
  const cols = batches.map((b) => b.columns[index]!);
  if (!cols.every((c) => "encoding" in c && c.encoding === "utf8")) return undefined;
  const rows = cols.reduce((s, c) => s + c.length, 0);
  const limit = Math.floor(rows * MAX_DISTINCT_RATIO);
  if (limit < 1) return undefined;
  const set = new ByteStringSet(Math.min(limit, 1024));
  const codes: Int32Array[] = [];
  for (const c of cols as Utf8Column[]) {
    const out = new Int32Array(c.length);
    for (let i = 0; i < c.length; i++) {
      if (!isValid(c.validity, i)) continue;
      out[i] = set.intern(c.bytes, c.offsets[i]!, c.offsets[i + 1]!);
      if (set.size > limit) return undefined;
    }
    codes.push(out);
  }
  const dictionary = set.toColumn();
  return cols.map((c, b): DictColumn => ({ type: { kind: "string" }, length: c.length, encoding: "dict", codes: codes[b]!, dictionary, validity: (c as Utf8Column).validity }));
}

/** Dictionary-encodes every low-cardinality UTF-8 string column, one dictionary per column. */
export function dictionaryEncodeTable(batches: readonly Batch[]): Batch[] {
  if (batches.length === 0) return [];
  const out = batches.map((b) => ({ ...b, columns: [...b.columns] }));
  const width = batches[0]!.columns.length;
  for (let i = 0; i < width; i++) {
    const encoded = encodeColumnAcross(batches, i);
    if (encoded) encoded.forEach((c, b) => (out[b]!.columns[i] = c));
  }
  return out;
}
