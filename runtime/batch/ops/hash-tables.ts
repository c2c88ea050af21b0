/**
 * Open-addressing hash tables in typed arrays that map a key to a dense id (0, 1, 2, ...).
 * No JS Map and no per-key objects: slots hold ids, keys live in flat arrays. Group-by, join
 * build sides and distinct all sit on these.
 */
import { hashBytes, hashInt32 } from "./key-encoding.js";
import type { EncodedRows } from "./key-encoding.js";

const EMPTY = -1;

/** Keys are row-encoded byte strings (see key-encoding.ts). */
export class BytesKeyTable {
  private slots = new Int32Array(1024).fill(EMPTY);
  private mask = 1023;
  private hashes = new Uint32Array(256);
  private keyOffsets = new Int32Array(257);
  private arena = new Uint8Array(4096);
  size = 0;

  /** Ids for every row, inserting new keys (insert = true) or -1 for absent ones (insert = false). */
  map(rows: EncodedRows, out: Int32Array, insert: boolean): void {
    const { offsets, bytes } = rows;
    for (let i = 0; i < rows.length; i++) {
      const s = offsets[i]!, e = offsets[i + 1]!;
      out[i] = this.findOrInsert(bytes, s, e, hashBytes(bytes, s, e), insert);
    }
  }

  findOrInsert(bytes: Uint8Array, s: number, e: number, h: number, insert: boolean): number {
    const len = e - s;
    let slot = h & this.mask;
    for (;;) {
      const id = this.slots[slot]!;
      if (id === EMPTY) break;
      if (this.hashes[id] === h) {
        const ks = this.keyOffsets[id]!, ke = this.keyOffsets[id + 1]!;
        if (ke - ks === len) {
          let k = 0;
          while (k < len && this.arena[ks + k] === bytes[s + k]) k++;
          if (k === len) return id;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    if (!insert) return EMPTY;
    const id = this.size++;
    if (id + 1 >= this.hashes.length) this.growIds();
    const ks = this.keyOffsets[id]!;
    if (ks + len > this.arena.length) this.growArena(ks + len);
    this.arena.set(bytes.subarray(s, e), ks);
    this.keyOffsets[id + 1] = ks + len;
    this.hashes[id] = h;
    this.slots[slot] = id;
    if (this.size * 2 > this.mask) this.rehash();
    return id;
  }

  /** One already-encoded row; hashes it here. */
  findOrInsertRow(bytes: Uint8Array, s: number, e: number, insert: boolean): number {
    return this.findOrInsert(bytes, s, e, hashBytes(bytes, s, e), insert);
  }

  /** The encoded key of id: arena[keyStart(id) .. keyStart(id + 1)). */
  get keyArena(): Uint8Array { return this.arena; }
  get keyOffsetsView(): Int32Array { return this.keyOffsets; }

  memoryBytes(): number {
    return this.slots.byteLength + this.hashes.byteLength + this.keyOffsets.byteLength + this.arena.byteLength;
  }

  private growIds(): void {
    const h = new Uint32Array(this.hashes.length * 2); h.set(this.hashes); this.hashes = h;
    const o = new Int32Array(h.length + 1); o.set(this.keyOffsets); this.keyOffsets = o;
  }

  private growArena(min: number): void {
    const a = new Uint8Array(Math.max(min, this.arena.length * 2)); a.set(this.arena); this.arena = a;
  }

  private rehash(): void {
    const cap = (this.mask + 1) * 2;
    const slots = new Int32Array(cap).fill(EMPTY);
    const mask = cap - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = this.hashes[id]! & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Span of int32 keys kept in a direct lookup array (4 MiB) before switching to hashing. */
const DIRECT_SPAN = 1 << 20;
const INT32_MIN = -2147483648, INT32_MAX = 2147483647;

/**
 * Keys are int32 values (int32, date, bool, dictionary codes); null is a separate id. While the
 * keys seen so far span a small range, ids are found by direct indexing (no hashing, one random
 * access); once the range grows past DIRECT_SPAN the table switches to open addressing.
 */
export class Int32KeyTable {
  private slots = new Int32Array(0);
  private mask = -1;
  private hashed = false;
  /** Direct mode: direct[x - base] = id + 1 (0 = absent). */
  private direct = new Int32Array(0);
  private base = 0;
  keys = new Int32Array(256);
  size = 0;
  nullId = EMPTY;

  private addKey(x: number): number {
    const id = this.size++;
    if (id >= this.keys.length) { const k = new Int32Array(this.keys.length * 2); k.set(this.keys); this.keys = k; }
    this.keys[id] = x;
    return id;
  }

  /**
   * Makes the direct array cover [lo, hi], or switches to hashing if that range is too wide.
   * Grows geometrically toward the side that widened, so keys arriving in rising (or falling)
   * order reallocate O(log span) times, not once per new key.
   */
  private cover(lo: number, hi: number): void {
    if (this.hashed) return;
    const has = this.direct.length > 0;
    const curLo = has ? this.base : lo, curHi = has ? this.base + this.direct.length - 1 : hi;
    if (has && lo >= curLo && hi <= curHi) return;
    const newLo = Math.min(lo, curLo), newHi = Math.max(hi, curHi);
    const span = newHi - newLo + 1;
    if (span > DIRECT_SPAN) { this.switchToHash(); return; }
    const cap = Math.min(DIRECT_SPAN, Math.max(64, span * 2));
    const extra = cap - span;
    // Slack goes where the range grew (both sides on the first allocation), clamped to int32.
    const below = !has ? extra >> 1 : newLo < curLo ? (newHi > curHi ? extra >> 1 : extra) : 0;
    const allocLo = Math.max(INT32_MIN, Math.min(newLo - below, INT32_MAX - cap + 1));
    const next = new Int32Array(cap);
    if (has) next.set(this.direct, this.base - allocLo);
    this.direct = next;
    this.base = allocLo;
  }

  private switchToHash(): void {
    this.hashed = true;
    this.direct = new Int32Array(0);
    let cap = 1024;
    while (cap < this.size * 2 + 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    this.rehash(cap);
  }

  findOrInsert(x: number, insert: boolean): number {
    if (!this.hashed) {
      const off = x - this.base;
      if (off >= 0 && off < this.direct.length) {
        const id = this.direct[off]! - 1;
        if (id >= 0 || !insert) return id;
        const nid = this.addKey(x);
        this.direct[off] = nid + 1;
        return nid;
      }
      if (!insert) return EMPTY;
      this.cover(x, x);
      return this.findOrInsert(x, insert);
    }
    let slot = hashInt32(x) & this.mask;
    for (;;) {
      const id = this.slots[slot]!;
      if (id === EMPTY) break;
      if (this.keys[id] === x) return id;
      slot = (slot + 1) & this.mask;
    }
    if (!insert) return EMPTY;
    const id = this.addKey(x);
    this.slots[slot] = id;
    if (this.size * 2 > this.mask) this.rehash((this.mask + 1) * 2);
    return id;
  }

  /**
   * findOrInsert for a whole array (the group-by hot path). In direct mode the inner loop only
   * reads known keys (one unsigned range test, one load) and stops at the first miss; the miss
   * (a new key, or one outside the array) goes through findOrInsert, which may widen the array or
   * switch to hashing, and the loop resumes after it. A batch therefore needs no min/max pre-scan,
   * and the loop has no call or allocation in it for V8 to keep around.
   */
  mapAll(values: Int32Array, length: number, out: Int32Array, insert: boolean): void {
    let i = 0;
    while (i < length && !this.hashed) {
      i = insert ? this.mapKnown(values, i, length, out) : this.probeDirect(values, i, length, out);
      if (i < length) { out[i] = this.findOrInsert(values[i]!, true); i++; }
    }
    if (i < length) this.mapHashed(values, i, length, out, insert);
  }

  /** Direct-mode ids of rows from..; returns the first row whose key is not in the table yet. */
  private mapKnown(values: Int32Array, from: number, length: number, out: Int32Array): number {
    const direct = this.direct, base = this.base, span = direct.length;
    let i = from;
    for (; i < length; i++) {
      const off = (values[i]! - base) >>> 0;
      if (off >= span) break;
      const id = direct[off]! - 1;
      if (id < 0) break;
      out[i] = id;
    }
    return i;
  }

  /** Direct-mode lookups without insert: -1 for absent keys; always finishes the array. */
  private probeDirect(values: Int32Array, from: number, length: number, out: Int32Array): number {
    const direct = this.direct, base = this.base, span = direct.length;
    for (let i = from; i < length; i++) {
      const off = (values[i]! - base) >>> 0;
      out[i] = off < span ? direct[off]! - 1 : EMPTY;
    }
    return length;
  }

  private mapHashed(values: Int32Array, from: number, length: number, out: Int32Array, insert: boolean): void {
    for (let i = from; i < length; i++) {
      const x = values[i]!;
      const slots = this.slots, keys = this.keys, mask = this.mask;
      let slot = hashInt32(x) & mask;
      let id = slots[slot]!;
      while (id !== EMPTY && keys[id] !== x) { slot = (slot + 1) & mask; id = slots[slot]!; }
      out[i] = id !== EMPTY ? id : this.findOrInsert(x, insert);
    }
  }

  /** Direct mode's lookup array (direct[x - base] = id + 1, 0 = absent), or undefined once hashing. */
  directLookup(): { readonly direct: Int32Array; readonly base: number } | undefined {
    return this.hashed ? undefined : { direct: this.direct, base: this.base };
  }

  nullKey(insert: boolean): number {
    if (this.nullId === EMPTY && insert) this.nullId = this.addKey(0);
    return this.nullId;
  }

  memoryBytes(): number {
    return this.slots.byteLength + this.keys.byteLength + this.direct.byteLength;
  }

  private rehash(cap: number): void {
    const slots = new Int32Array(cap).fill(EMPTY);
    const mask = cap - 1;
    for (let id = 0; id < this.size; id++) {
      if (id === this.nullId) continue;
      let slot = hashInt32(this.keys[id]!) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
