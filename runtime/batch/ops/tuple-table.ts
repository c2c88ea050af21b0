/**
 * TupleKeyTable: dense ids (0, 1, 2, ...) for tuples of int32 words (key-words.ts). The keys are
 * stored row-major (keys[id * width + w]), so comparing a probe row with a stored key touches one
 * cache line, not one per word (column-wise storage made a 6-key probe ~8 cache misses). Two lookups:
 *  - direct ("perfect hashing"): while the product of the words' observed ranges is small, a
 *    tuple packs into one index (mixed radix) of a flat id array: no hashing, no comparing
 *    (group by two 100-value strings is a 10^4-entry array). Ranges widen with slack as batches
 *    bring new values; the array is rebuilt from the stored words.
 *  - hashed: once the product is too big, open addressing over (hash, id) slot pairs; row hashes
 *    are computed column by column in a vectorized pass, a probe compares the stored hash first and
 *    then the words.
 */
import { hashWords } from "./word-hash.js";

const EMPTY = -1;
/** Direct arrays up to this many entries are always fine (4 MiB). */
const DIRECT_MIN_ENTRIES = 1 << 20;
/** Beyond DIRECT_MIN_ENTRIES, direct stays while entries <= this factor x groups (dense keys). */
const DIRECT_DENSITY = 4;
const DIRECT_MAX_ENTRIES = 1 << 26;
/** Rows looked at to decide early that a batch's keys need hashing. */
const SAMPLE_ROWS = 1024;

/** Share of distinct tuples among the first SAMPLE_ROWS rows (a small table of their hashes). */
function distinctShare(words: readonly Int32Array[], width: number): number {
  const hashes = new Int32Array(SAMPLE_ROWS);
  hashWords(words, width, SAMPLE_ROWS, hashes);
  return new Set(hashes).size / SAMPLE_ROWS;
}

export class TupleKeyTable {
  size = 0;
  private capacity = 256;
  private keys: Int32Array;
  private hashed = false;
  // Direct mode: direct[packed] = id + 1 (0 = absent); packed = sum over words of (x - lo) * stride.
  private direct = new Int32Array(0);
  private readonly lo: number[];
  private readonly span: number[];
  private readonly stride: number[];
  private ranged = false;
  // Hashed mode: slots[2s] = hash, slots[2s + 1] = id (EMPTY = free).
  private slots = new Int32Array(0);
  private slotMask = 0;
  private groupHashes = new Int32Array(0);
  private scratch = new Int32Array(0);

  constructor(readonly width: number) {
    this.keys = new Int32Array(this.capacity * width);
    this.lo = new Array<number>(width).fill(0);
    this.span = new Array<number>(width).fill(0);
    this.stride = new Array<number>(width).fill(0);
  }

  get isHashed(): boolean { return this.hashed; }

  /** Word w of every group, in id order. */
  wordColumn(w: number): Int32Array {
    const n = this.size, width = this.width, keys = this.keys, out = new Int32Array(n);
    for (let id = 0, p = w; id < n; id++, p += width) out[id] = keys[p]!;
    return out;
  }

  memoryBytes(): number {
    return this.capacity * 4 * (this.width + 1) + this.direct.byteLength + this.slots.byteLength + this.scratch.byteLength;
  }

  /** out[i] = id of row i's tuple (words[w][i]); new tuples get new ids when insert, else -1. */
  map(words: readonly Int32Array[], length: number, out: Int32Array, insert: boolean, bounds?: Float64Array): void {
    if (length === 0) return;
    if (this.scratch.length < length) this.scratch = new Int32Array(Math.max(length, 1024));
    if (!this.hashed && insert) this.coverRanges(words, length, bounds);
    if (this.hashed) this.mapHashed(words, length, out, insert);
    else this.mapDirect(words, length, out, insert);
  }

  private mapDirect(words: readonly Int32Array[], length: number, out: Int32Array, insert: boolean): void {
    if (!this.ranged) { out.fill(EMPTY, 0, length); return; }
    if (insert) { this.insertDirect(words, length, out); return; }
    const direct = this.direct;
    if (this.width === 1) {
      // One word (a single string key: a join on a string column probes here).
      const a = words[0]!, lo = this.lo[0]!, span = this.span[0]!;
      for (let i = 0; i < length; i++) {
        const d = a[i]! - lo;
        out[i] = d >= 0 && d < span ? direct[d]! - 1 : EMPTY;
      }
      return;
    }
    const idx = this.scratch;
    idx.fill(0, 0, length);
    for (let w = 0; w < this.width; w++) {
      const a = words[w]!, lo = this.lo[w]!, span = this.span[w]!, stride = this.stride[w]!;
      for (let i = 0; i < length; i++) {
        const d = a[i]! - lo;
        idx[i] = d >= 0 && d < span && idx[i]! >= 0 ? idx[i]! + d * stride : -1;
      }
    }
    for (let i = 0; i < length; i++) {
      const p = idx[i]!;
      out[i] = p < 0 ? EMPTY : direct[p]! - 1;
    }
  }

  /**
   * Insert path of direct mode: coverRanges made every word fit, so no range checks; words whose
   * range is one value (a null mask with no nulls, a constant) add nothing and are skipped; up to
   * three varying words are packed in one fused loop. That loop (knownRows*) only looks up tuples
   * already in the table and stops at the first new one, which is added here before it resumes:
   * no call or allocation inside the per-row loop (as Int32KeyTable.mapAll).
   */
  private insertDirect(words: readonly Int32Array[], length: number, out: Int32Array): void {
    const varying: number[] = [];
    for (let w = 0; w < this.width; w++) if (this.span[w]! > 1) varying.push(w);
    const direct = this.direct;
    const k = varying.length;
    const a0 = k > 0 ? words[varying[0]!]! : this.scratch, a1 = k > 1 ? words[varying[1]!]! : this.scratch, a2 = k > 2 ? words[varying[2]!]! : this.scratch;
    const lo0 = k > 0 ? this.lo[varying[0]!]! : 0, lo1 = k > 1 ? this.lo[varying[1]!]! : 0, lo2 = k > 2 ? this.lo[varying[2]!]! : 0;
    const st0 = k > 0 ? this.stride[varying[0]!]! : 0, st1 = k > 1 ? this.stride[varying[1]!]! : 0, st2 = k > 2 ? this.stride[varying[2]!]! : 0;
    const idx = this.scratch;
    if (k > 3) {
      idx.fill(0, 0, length);
      for (const w of varying) {
        const a = words[w]!, lo = this.lo[w]!, stride = this.stride[w]!;
        for (let i = 0; i < length; i++) idx[i] += (a[i]! - lo) * stride;
      }
    } else if (k === 0) idx.fill(0, 0, length);
    else if (k === 2) packRows2(a0, lo0, st0, a1, lo1, st1, length, idx);
    else if (k === 3) packRows3(a0, lo0, st0, a1, lo1, st1, a2, lo2, st2, length, idx);
    let i = 0;
    while (i < length) {
      i = k === 1 ? knownRows1(direct, a0, lo0, st0, i, length, out) : knownRows(direct, idx, i, length, out);
      if (i >= length) break;
      const p = k === 1 ? (a0[i]! - lo0) * st0 : idx[i]!;
      const id = this.addGroup(words, i, 0);
      direct[p] = id + 1;
      out[i++] = id;
    }
  }

  private mapHashed(words: readonly Int32Array[], length: number, out: Int32Array, insert: boolean): void {
    const hashes = this.scratch;
    hashWords(words, this.width, length, hashes);
    const width = this.width;
    let slots = this.slots, mask = this.slotMask, keys = this.keys;
    for (let i = 0; i < length; i++) {
      const h = hashes[i]!;
      let s = (h & mask) << 1;
      let id: number;
      for (;;) {
        id = slots[s + 1]!;
        if (id === EMPTY) break;
        if (slots[s] === h) {
          const base = id * width;
          let w = 0;
          while (w < width && keys[base + w] === words[w]![i]) w++;
          if (w === width) break;
        }
        s = (s + 2) & (mask << 1 | 1);
      }
      if (id === EMPTY) {
        if (!insert) { out[i] = EMPTY; continue; }
        id = this.addGroup(words, i, h);
        slots[s] = h;
        slots[s + 1] = id;
        if (this.size * 2 > mask) { this.rehash((mask + 1) * 2); slots = this.slots; mask = this.slotMask; }
        keys = this.keys;
      }
      out[i] = id;
    }
  }

  private addGroup(words: readonly Int32Array[], row: number, hash: number): number {
    const id = this.size++;
    if (id >= this.capacity) this.grow();
    const base = id * this.width;
    for (let w = 0; w < this.width; w++) this.keys[base + w] = words[w]![row]!;
    if (this.hashed) this.groupHashes[id] = hash;
    return id;
  }

  private grow(): void {
    this.capacity *= 2;
    const keys = new Int32Array(this.capacity * this.width); keys.set(this.keys); this.keys = keys;
    if (this.hashed) { const h = new Int32Array(this.capacity); h.set(this.groupHashes); this.groupHashes = h; }
  }

  /** Widens the direct ranges to hold this batch's words, or switches to hashing when they get too big. */
  /** bounds: known [min, max] per word (NaN = scan the word), from KeyWordCoder. */
  private coverRanges(words: readonly Int32Array[], length: number, bounds: Float64Array | undefined): void {
    const limit = Math.min(DIRECT_MAX_ENTRIES, Math.max(DIRECT_MIN_ENTRIES, DIRECT_DENSITY * (this.size + length)));
    // A long batch whose first rows already span too much goes to hashing without a full scan,
    // with the table presized from how distinct those rows are (a 500k-row batch of unique keys
    // otherwise rehashes ~10 times).
    if (length >= 4 * SAMPLE_ROWS && this.sampledProduct(words) > limit) {
      this.switchToHash(Math.ceil(distinctShare(words, this.width) * length));
      return;
    }
    let changed = !this.ranged, product = 1;
    const lo = this.lo.slice(), span = this.span.slice();
    for (let w = 0; w < this.width; w++) {
      let min: number, max: number;
      if (bounds !== undefined && bounds[2 * w] === bounds[2 * w]) { min = bounds[2 * w]!; max = bounds[2 * w + 1]!; }
      else {
        const a = words[w]!;
        min = a[0]!; max = min;
        for (let i = 1; i < length; i++) { const x = a[i]!; min = x < min ? x : min; max = x > max ? x : max; }
      }
      if (!this.ranged) { lo[w] = min; span[w] = max - min + 1; }
      else {
        const hi = lo[w]! + span[w]! - 1;
        if (min < lo[w]! || max > hi) {
          // Double the span so a slowly widening key (new intern ids each batch) rebuilds rarely.
          const newHi = Math.max(hi, max), need = newHi - Math.min(lo[w]!, min) + 1;
          span[w] = Math.max(need, span[w]! * 2);
          if (min < lo[w]!) lo[w] = newHi - span[w]! + 1;
          changed = true;
        }
      }
      product *= span[w]!;
    }
    if (!changed) return;
    if (product > limit) { this.switchToHash(0); return; }
    let stride = 1;
    for (let w = 0; w < this.width; w++) { this.lo[w] = lo[w]!; this.span[w] = span[w]!; this.stride[w] = stride; stride *= span[w]!; }
    this.ranged = true;
    const direct = new Int32Array(product);
    for (let id = 0; id < this.size; id++) {
      let p = 0;
      for (let w = 0; w < this.width; w++) p += (this.keys[id * this.width + w]! - this.lo[w]!) * this.stride[w]!;
      direct[p] = id + 1;
    }
    this.direct = direct;
  }

  /** Product of the ranges (with the current ones) of the first SAMPLE_ROWS rows: a lower bound of the batch's. */
  private sampledProduct(words: readonly Int32Array[]): number {
    let product = 1;
    for (let w = 0; w < this.width; w++) {
      const a = words[w]!;
      let min = this.ranged ? this.lo[w]! : a[0]!, max = this.ranged ? this.lo[w]! + this.span[w]! - 1 : min;
      for (let i = 0; i < SAMPLE_ROWS; i++) { const x = a[i]!; if (x < min) min = x; else if (x > max) max = x; }
      product *= max - min + 1;
    }
    return product;
  }

  /** Switches to hashing, sized for at least `expectedGroups` without rehashing. */
  private switchToHash(expectedGroups: number): void {
    this.hashed = true;
    this.direct = new Int32Array(0);
    const want = Math.max(this.size, expectedGroups);
    if (want > this.capacity) {
      let cap = this.capacity;
      while (cap < want) cap *= 2;
      const keys = new Int32Array(cap * this.width); keys.set(this.keys); this.keys = keys;
      this.capacity = cap;
    }
    this.groupHashes = new Int32Array(this.capacity);
    const columns = Array.from({ length: this.width }, (_, w) => this.wordColumn(w));
    hashWords(columns, this.width, this.size, this.groupHashes);
    let cap = 1024;
    while (cap < this.size * 4 || cap < 2 * (want + 1)) cap *= 2;
    this.rehash(cap);
  }

  private rehash(cap: number): void {
    const slots = new Int32Array(cap * 2).fill(EMPTY);
    const mask = cap - 1;
    for (let id = 0; id < this.size; id++) {
      const h = this.groupHashes[id]!;
      let s = (h & mask) << 1;
      while (slots[s + 1] !== EMPTY) s = (s + 2) & (mask << 1 | 1);
      slots[s] = h;
      slots[s + 1] = id;
    }
    this.slots = slots;
    this.slotMask = mask;
  }
}

/** Ids of rows from.. whose packed tuple (packed[i]) is already in direct; stops at the first absent one. */
function knownRows(direct: Int32Array, packed: Int32Array, from: number, length: number, out: Int32Array): number {
  let i = from;
  for (; i < length; i++) {
    const id = direct[packed[i]!]! - 1;
    if (id < 0) break;
    out[i] = id;
  }
  return i;
}

/** knownRows for one varying word, packed on the fly (a single string or dictionary key). */
function knownRows1(direct: Int32Array, a: Int32Array, lo: number, stride: number, from: number, length: number, out: Int32Array): number {
  let i = from;
  for (; i < length; i++) {
    const id = direct[(a[i]! - lo) * stride]! - 1;
    if (id < 0) break;
    out[i] = id;
  }
  return i;
}

function packRows2(a0: Int32Array, lo0: number, st0: number, a1: Int32Array, lo1: number, st1: number, length: number, out: Int32Array): void {
  for (let i = 0; i < length; i++) out[i] = (a0[i]! - lo0) * st0 + (a1[i]! - lo1) * st1;
}

function packRows3(a0: Int32Array, lo0: number, st0: number, a1: Int32Array, lo1: number, st1: number, a2: Int32Array, lo2: number, st2: number, length: number, out: Int32Array): void {
  for (let i = 0; i < length; i++) out[i] = (a0[i]! - lo0) * st0 + (a1[i]! - lo1) * st1 + (a2[i]! - lo2) * st2;
}
