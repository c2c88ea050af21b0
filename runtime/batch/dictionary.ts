/**
 * Dictionary-encodes low-cardinality string columns, so group-bys and joins work on int32 codes.
 * Strings are compared as UTF-8 bytes in an open-addressing table; no JS strings are made.
 *
 * Registration splits the work (runtime/scheduler/engine.ts):
 * - the driver decides which columns to encode from a strided sample of the whole table
 *   (columnsWorthEncoding): columns with many distinct values (ids, near-unique keys) stay UTF-8
 *   without trying, they gain nothing from codes;
 * - each partition is then encoded in a worker, in parallel (encodeColumns), with ONE dictionary
 *   per column for the partition's batches (consumers map a dictionary once, not once per batch);
 * - codes and dictionaries are written straight into SharedArrayBuffers (toShared keeps them).
 * dictionaryEncodeTable does both on the calling thread, one dictionary per column for the table.
 */
import type { Batch } from "./column.js";
import type { DictColumn, Utf8Column } from "./kinds.js";

/** Encode when the estimated distinct count is at most this fraction of the rows (large tables). */
const MAX_DISTINCT_RATIO = 0.1;
/** Small tables (every row sampled) encode up to this fraction, and no encoding ever goes past it. */
const HARD_DISTINCT_RATIO = 0.5;
/** Rows looked at to estimate a column's distinct count. */
const SAMPLE_ROWS = 16_384;

/** Open-addressing set of byte strings; codes are insertion order. */
class ByteStringSet {
  private slots: Int32Array;
  private hashes: Int32Array;
  private offsets: Int32Array;
  private bytes: Uint8Array;
  private used = 0;
  size = 0;

  constructor(expected: number) {
    this.slots = new Int32Array(Math.max(16, nextPow2(expected * 2))).fill(-1);
    this.hashes = new Int32Array(Math.max(16, expected));
    this.offsets = new Int32Array(Math.max(16, expected) + 1);
    this.bytes = new Uint8Array(Math.max(1024, expected * 8));
  }

  /**
   * Codes of a UTF-8 column's rows into out (null rows' codes stay 0: the validity bitmap says
   * null). Returns false as soon as the set grows past `limit` entries (not worth encoding).
   * One loop with the probe inlined and the table's arrays in locals (reloaded only after an insert):
   * this is the whole cost of registering a string column, ~1e8 rows at the largest size.
   */
  internColumn(col: Utf8Column, out: Int32Array, limit: number): boolean {
    const srcOffsets = col.offsets, src = col.bytes, validity = col.validity, n = col.length;
    let slots = this.slots, hashes = this.hashes, offsets = this.offsets, bytes = this.bytes;
    let mask = slots.length - 1;
    let end = srcOffsets[0]!;
    for (let i = 0; i < n; i++) {
      const start = end;
      end = srcOffsets[i + 1]!;
      if (validity !== undefined && (validity[i >>> 3]! & (1 << (i & 7))) === 0) continue;
      // hashOf() inlined by hand: calling it measured slower here (1e7 load 3.47-3.69 s vs
      // 3.51-4.28 s). intern() uses hashOf on the same table, so the two must stay identical.
      let h = 0x811c9dc5 | 0;
      for (let k = start; k < end; k++) h = Math.imul(h ^ src[k]!, 0x01000193);
      h ^= h >>> 15;
      h = Math.imul(h, 0x2c1b3c6d);
      h ^= h >>> 12;
      const len = end - start;
      let slot = h & mask;
      let code: number;
      for (;;) {
        code = slots[slot]!;
        if (code < 0) break;
        if (hashes[code] === h) {
          const a = offsets[code]!;
          if (offsets[code + 1]! - a === len) {
            let k = 0;
            while (k < len && bytes[a + k] === src[start + k]) k++;
            if (k === len) break;
          }
        }
        slot = (slot + 1) & mask;
      }
      if (code < 0) {
        code = this.add(slot, h, src, start, end);
        if (this.size > limit) return false;
        slots = this.slots;
        hashes = this.hashes;
        offsets = this.offsets;
        bytes = this.bytes;
        mask = slots.length - 1;
      }
      out[i] = code;
    }
    return true;
  }

  /** Code of bytes[start, end), added if new. */
  intern(src: Uint8Array, start: number, end: number): number {
    return this.find(hashOf(src, start, end), src, start, end);
  }

  private find(h: number, src: Uint8Array, start: number, end: number): number {
    const slots = this.slots, hashes = this.hashes, offsets = this.offsets, bytes = this.bytes;
    const mask = slots.length - 1;
    const len = end - start;
    let slot = h & mask;
    for (;;) {
      const code = slots[slot]!;
      if (code < 0) break;
      if (hashes[code] === h) {
        const a = offsets[code]!;
        if (offsets[code + 1]! - a === len) {
          let k = 0;
          while (k < len && bytes[a + k] === src[start + k]) k++;
          if (k === len) return code;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.add(slot, h, src, start, end);
  }

  private add(slot: number, h: number, src: Uint8Array, start: number, end: number): number {
    const code = this.size;
    const len = end - start;
    if (this.used + len > this.bytes.length) this.bytes = grow(this.bytes, this.used + len);
    if (code + 2 > this.offsets.length) this.offsets = grow(this.offsets, code + 2);
    if (code + 1 > this.hashes.length) this.hashes = grow(this.hashes, code + 1);
    for (let k = 0; k < len; k++) this.bytes[this.used + k] = src[start + k]!;
    this.used += len;
    this.offsets[code + 1] = this.used;
    this.hashes[code] = h;
    this.slots[slot] = code;
    this.size++;
    if (this.size * 2 > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let code = 0; code < this.size; code++) {
      let slot = this.hashes[code]! & mask;
      while (slots[slot]! >= 0) slot = (slot + 1) & mask;
      slots[slot] = code;
    }
    this.slots = slots;
  }

  /** The dictionary, in shared memory (it is read by every task of every job). */
  toColumn(): Utf8Column {
    const head = ((this.size + 1) * 4 + 7) & ~7;
    const sab = new SharedArrayBuffer(Math.max(8, (head + this.used + 7) & ~7));
    const offsets = new Int32Array(sab, 0, this.size + 1);
    offsets.set(this.offsets.subarray(0, this.size + 1));
    const bytes = new Uint8Array(sab, head, this.used);
    bytes.set(this.bytes.subarray(0, this.used));
    return { type: { kind: "string" }, length: this.size, encoding: "utf8", offsets, bytes, validity: undefined };
  }
}

/**
 * One dictionary for several (concatenating dictionary columns whose pieces each brought their own,
 * such as shuffle blocks from different partitions of a table): the union of their entries, in
 * shared memory, and per input dictionary the new code of each of its codes. Undefined as soon as
 * the union passes `limit` entries: then the strings are better off as plain UTF-8.
 */
export function mergeDictionaries(dictionaries: readonly Utf8Column[], limit: number): { dictionary: Utf8Column; remaps: Int32Array[] } | undefined {
  let entries = 0;
  for (const d of dictionaries) entries += d.length;
  const set = new ByteStringSet(Math.min(entries, limit));
  const remaps: Int32Array[] = [];
  for (const d of dictionaries) {
    const remap = new Int32Array(d.length);
    if (!set.internColumn(d, remap, limit)) return undefined;
    remaps.push(remap);
  }
  return { dictionary: set.toColumn(), remaps };
}

/** FNV-1a over the bytes, then a final mix so short keys spread over the low bits. */
function hashOf(src: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = start; k < end; k++) h = Math.imul(h ^ src[k]!, 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}

function grow<T extends Uint8Array | Int32Array>(a: T, need: number): T {
  const out = new (a.constructor as new (n: number) => T)(Math.max(a.length * 2, need));
  out.set(a);
  return out;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Distinct values of a column estimated from a sample of up to SAMPLE_ROWS rows: exact
 * when every row is sampled, else the d with d * (1 - e^(-s/d)) = (distinct in sample), the
 * expected distinct count of s uniform draws from d values. Infinity when no sampled row repeats.
 */
export function estimateDistinct(cols: readonly Utf8Column[], rows: number): number {
  const stride = Math.max(1, Math.floor(rows / SAMPLE_ROWS));
  const sample = new ByteStringSet(Math.min(rows, SAMPLE_ROWS));
  let sampled = 0;
  let base = 0;
  for (const c of cols) {
    // One row from each window of `stride` table rows, at a pseudo-random place in the window (a
    // fixed stride would alias with periodic data and see too few distinct values).
    const offsets = c.offsets, validity = c.validity;
    for (let w = Math.ceil(base / stride) * stride; w < base + c.length; w += stride) {
      const i = w + (stride > 1 ? (Math.imul(w, 0x9e3779b1) >>> 7) % stride : 0) - base;
      if (i >= c.length) continue;
      sampled++;
      if (validity !== undefined && (validity[i >>> 3]! & (1 << (i & 7))) === 0) continue;
      sample.intern(c.bytes, offsets[i]!, offsets[i + 1]!);
    }
    base += c.length;
  }
  const distinct = sample.size;
  if (sampled >= rows) return distinct;
  if (distinct >= sampled) return Number.POSITIVE_INFINITY;
  let lo = distinct, hi = distinct;
  const expected = (d: number): number => d * (1 - Math.exp(-sampled / d));
  while (expected(hi) < distinct && hi < 1e15) hi *= 2;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (expected(mid) < distinct) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Whether a column with these batches is worth encoding, judged from a sample. */
function worthEncoding(cols: readonly Utf8Column[], rows: number): boolean {
  const estimate = estimateDistinct(cols, rows);
  const ratio = rows <= SAMPLE_ROWS ? HARD_DISTINCT_RATIO : MAX_DISTINCT_RATIO;
  return estimate <= rows * ratio;
}

function utf8Columns(batches: readonly Batch[], index: number): Utf8Column[] | undefined {
  const cols = batches.map((b) => b.columns[index]!);
  return cols.every((c) => "encoding" in c && c.encoding === "utf8") ? (cols as Utf8Column[]) : undefined;
}

/**
 * The batches' column `index` dictionary-encoded across all of them (one dictionary), or undefined
 * when the dictionary grows past `limit` entries. Codes and dictionary are written to shared memory.
 */
function encodeColumnAcross(utf8: readonly Utf8Column[], limit: number): DictColumn[] | undefined {
  const set = new ByteStringSet(1024);
  const codes: Int32Array[] = [];
  for (const c of utf8) {
    const out = new Int32Array(new SharedArrayBuffer(Math.max(8, c.length * 4)), 0, c.length);
    if (!set.internColumn(c, out, limit)) return undefined;
    codes.push(out);
  }
  const dictionary = set.toColumn();
  return utf8.map((c, b): DictColumn => ({ type: { kind: "string" }, length: c.length, encoding: "dict", codes: codes[b]!, dictionary, validity: c.validity }));
}

/**
 * Indexes of the plain UTF-8 string columns worth dictionary-encoding, judged from a strided
 * sample over all the batches (cheap whatever the size: at most SAMPLE_ROWS rows per column).
 * The engine decides once per table on the driver, then each partition encodes in a worker.
 */
export function columnsWorthEncoding(batches: readonly Batch[]): number[] {
  if (batches.length === 0) return [];
  const out: number[] = [];
  for (let i = 0; i < batches[0]!.columns.length; i++) {
    const utf8 = utf8Columns(batches, i);
    if (utf8 === undefined) continue;
    const rows = utf8.reduce((s, c) => s + c.length, 0);
    if (Math.floor(rows * HARD_DISTINCT_RATIO) >= 1 && worthEncoding(utf8, rows)) out.push(i);
  }
  return out;
}

/**
 * The batches (one partition) with each of `columns` dictionary-encoded under one dictionary per
 * column shared by these batches. Columns are encoded whatever their cardinality (the caller chose
 * them: a table's partitions must agree); a column not plain UTF-8 in every batch is left as is.
 */
export function encodeColumns(batches: readonly Batch[], columns: readonly number[]): Batch[] {
  const out = batches.map((b) => ({ ...b, columns: [...b.columns] }));
  for (const i of columns) {
    const utf8 = utf8Columns(batches, i);
    const encoded = utf8 === undefined ? undefined : encodeColumnAcross(utf8, Number.POSITIVE_INFINITY);
    if (encoded) encoded.forEach((c, b) => (out[b]!.columns[i] = c));
  }
  return out;
}

/** Dictionary-encodes every low-cardinality UTF-8 string column, one dictionary per column. */
export function dictionaryEncodeTable(batches: readonly Batch[]): Batch[] {
  if (batches.length === 0) return [];
  const out = batches.map((b) => ({ ...b, columns: [...b.columns] }));
  for (const i of columnsWorthEncoding(batches)) {
    const utf8 = utf8Columns(batches, i)!;
    const rows = utf8.reduce((s, c) => s + c.length, 0);
    const encoded = encodeColumnAcross(utf8, Math.floor(rows * HARD_DISTINCT_RATIO));
    if (encoded) encoded.forEach((c, b) => (out[b]!.columns[i] = c));
  }
  return out;
}
