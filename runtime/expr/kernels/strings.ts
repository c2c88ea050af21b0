/**
 * UTF-8 string columns: reading a value, building a column, dictionary handling.
 * Kernels prefer byte loops; when a JS string is unavoidable (regex, case mapping of non-ASCII)
 * they decode one value at a time, with an ASCII fast path that skips TextDecoder.
 */
import type { Column, Validity } from "../../batch/column.js";
import { Types } from "../types.js";
import { allNullBitmap, isValid, setValid } from "./validity.js";

export type Utf8Column = Extract<Column, { encoding: "utf8" }>;
export type DictColumn = Extract<Column, { encoding: "dict" }>;
export type StringColumn = Utf8Column | DictColumn;

/** The contract types the dictionary as `Column & { encoding: "utf8" }`, which TS cannot narrow. */
export function dictionaryOf(c: DictColumn): Utf8Column {
  return c.dictionary as unknown as Utf8Column;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n <= 32) {
    let ascii = true;
    for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) { ascii = false; break; }
    if (ascii) {
      let s = "";
      for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
      return s;
    }
  }
  return decoder.decode(bytes.subarray(start, end));
}

export function isStringColumn(c: Column): c is StringColumn {
  return c.type.kind === "string";
}

/** The JS string of row i (caller checks validity). */
export function stringAt(c: StringColumn, i: number): string {
  if (c.encoding === "dict") {
    const d = dictionaryOf(c);
    const code = c.codes[i]!;
    return decodeUtf8(d.bytes, d.offsets[code]!, d.offsets[code + 1]!);
  }
  return decodeUtf8(c.bytes, c.offsets[i]!, c.offsets[i + 1]!);
}

/** Decodes every value (nulls as null); for kernels that must call JS string methods per row. */
export function stringsOf(c: StringColumn): (string | null)[] {
  const out = new Array<string | null>(c.length);
  if (c.encoding === "dict") {
    const dict = stringsOf(dictionaryOf(c));
    for (let i = 0; i < c.length; i++) out[i] = isValid(c.validity, i) ? dict[c.codes[i]!]! : null;
    return out;
  }
  for (let i = 0; i < c.length; i++) out[i] = isValid(c.validity, i) ? decodeUtf8(c.bytes, c.offsets[i]!, c.offsets[i + 1]!) : null;
  return out;
}

/** Dictionary strings become plain UTF-8 (for kernels that work on bytes row by row). */
export function toUtf8(c: StringColumn): Utf8Column {
  if (c.encoding === "utf8") return c;
  const d = dictionaryOf(c);
  const b = new StringBuilder(c.length);
  for (let i = 0; i < c.length; i++) {
    if (!isValid(c.validity, i)) { b.appendNull(); continue; }
    const code = c.codes[i]!;
    b.appendBytes(d.bytes, d.offsets[code]!, d.offsets[code + 1]!);
  }
  return b.finish();
}

/** Appends UTF-8 values (from bytes or JS strings) and nulls, growing its buffer by doubling. */
export class StringBuilder {
  private bytes: Uint8Array;
  private readonly offsets: Int32Array;
  private validity: Uint8Array | undefined;
  private count = 0;
  private used = 0;

  constructor(private readonly capacity: number, byteHint = capacity * 8) {
    this.bytes = new Uint8Array(Math.max(16, byteHint));
    this.offsets = new Int32Array(capacity + 1);
  }

  private ensure(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.used + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.used));
    this.bytes = next;
  }

  append(s: string): void {
    // Worst case 3 bytes per UTF-16 unit.
    this.ensure(s.length * 3);
    let ascii = true;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      if (ch >= 0x80) { ascii = false; break; }
      this.bytes[this.used + i] = ch;
    }
    if (ascii) this.used += s.length;
    else this.used += encoder.encodeInto(s, this.bytes.subarray(this.used)).written;
    if (this.validity !== undefined) setValid(this.validity, this.count);
    this.offsets[++this.count] = this.used;
  }

  appendBytes(src: Uint8Array, start: number, end: number): void {
    this.appendPart(src, start, end);
    this.endValue();
  }

  /**
   * Builds one value from several byte ranges: call appendPart (or appendPartString) any number of
   * times, then endValue. Avoids a temporary buffer per row in concat and friends.
   */
  appendPart(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    const dst = this.bytes;
    // Short values: a plain loop beats creating a subarray view per row.
    if (n <= 64) {
      let at = this.used;
      for (let k = start; k < end; k++) dst[at++] = src[k]!;
    } else {
      dst.set(src.subarray(start, end), this.used);
    }
    this.used += n;
  }

  endValue(): void {
    if (this.validity !== undefined) setValid(this.validity, this.count);
    this.offsets[++this.count] = this.used;
  }

  appendNull(): void {
    if (this.validity === undefined) {
      this.validity = allNullBitmap(this.capacity);
      for (let i = 0; i < this.count; i++) setValid(this.validity, i);
    }
    this.offsets[this.count + 1] = this.used;
    this.count++;
  }

  /** Appends a value or null from a JS string-or-null. */
  appendOrNull(s: string | null | undefined): void {
    if (s === null || s === undefined) this.appendNull();
    else this.append(s);
  }

  finish(): Utf8Column {
    return {
      type: Types.string as Utf8Column["type"],
      length: this.count,
      encoding: "utf8",
      offsets: this.offsets.subarray(0, this.count + 1),
      bytes: this.bytes.subarray(0, this.used),
      validity: this.validity,
    };
  }
}

/** Uniform byte access to a string column of either encoding: row i is bytes[start(i) .. end(i)). */
export interface StringReader {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
  /** Dictionary codes, or undefined for plain UTF-8. */
  readonly codes: Int32Array | undefined;
  readonly validity: Validity;
}

export function readerOf(c: Column): StringReader | undefined {
  if (c.type.kind !== "string") return undefined;
  const s = c as StringColumn;
  if (s.encoding === "dict") {
    const d = dictionaryOf(s);
    return { bytes: d.bytes, offsets: d.offsets, codes: s.codes, validity: s.validity };
  }
  return { bytes: s.bytes, offsets: s.offsets, codes: undefined, validity: s.validity };
}

export function startOf(r: StringReader, i: number): number {
  return r.offsets[r.codes ? r.codes[i]! : i]!;
}

export function endOf(r: StringReader, i: number): number {
  return r.offsets[(r.codes ? r.codes[i]! : i) + 1]!;
}

/** Number of code points in bytes[start..end): every byte that is not a continuation byte. */
export function codePointCount(bytes: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if ((bytes[i]! & 0xc0) !== 0x80) n++;
  return n;
}

/** Byte index of the `chars`-th code point after `start` (clamped to `end`). */
export function advanceCodePoints(bytes: Uint8Array, start: number, end: number, chars: number): number {
  let i = start;
  while (chars > 0 && i < end) {
    i++;
    while (i < end && (bytes[i]! & 0xc0) === 0x80) i++;
    chars--;
  }
  return i;
}
