/**
 * Key words: every key column becomes one or two int32 "words" per row, so a multi-column key is
 * a short tuple of ints (no row-encoded byte strings). Layout per declared key type:
 *   int32/date            1 word, the value itself (the column's array is used as is when no nulls)
 *   bool                  1 word: 0, 1, or 2 for null
 *   string                1 word: the column's intern id (StringInterner), -1 for null
 *   int64/timestamp/decimal, float64
 *                         2 words: the low and high halves of the 8 bytes (floats normalized so
 *                         -0 = 0 and every NaN is one key)
 *   null                  1 word, always 0
 * Types with no spare value for null (ints, 8-byte types) set bit c of one extra "null mask" word
 * (key column c) and write 0 in their own words, so equal keys always give equal words.
 * KeyWordCoder.emit turns stored group words back into columns.
 */
import type { DictColumn, Utf8Column } from "./column-types.js";
import type { Column, Validity } from "../column.js";
import type { DataType } from "../../expr/types.js";
import { bitmapBytes } from "./validity.js";
import { NULL_STRING_ID, StringInterner } from "./string-interner.js";

type WordKind = "int" | "bool" | "string" | "wide" | "float" | "null";

interface ColumnPlan {
  readonly type: DataType;
  readonly kind: WordKind;
  /** Index of the column's first word. */
  readonly word: number;
  /** Bit in the null-mask word, or 0 for kinds that keep null in their own word. */
  readonly maskBit: number;
  readonly interner: StringInterner | undefined;
}

/** Key columns at most this many: one mask bit per column must fit in an int32. */
export const MAX_WORD_KEY_COLUMNS = 30;

function wordKind(t: DataType): WordKind | undefined {
  switch (t.kind) {
    case "int32": case "date": return "int";
    case "bool": return "bool";
    case "string": return "string";
    case "int64": case "timestamp": case "decimal": return "wide";
    case "float64": return "float";
    case "null": return "null";
    case "list": return undefined;
  }
}

/** True if keys of these types can be turned into words (lists cannot). */
export function wordsSupport(types: readonly DataType[]): boolean {
  return types.length > 0 && types.length <= MAX_WORD_KEY_COLUMNS && types.every((t) => wordKind(t) !== undefined);
}

const NAN_BITS = new Int32Array(new Float64Array([NaN]).buffer);

export class KeyWordCoder {
  readonly width: number;
  /** Index of the null-mask word, -1 when no key type needs one. */
  readonly maskWord: number;
  private readonly plans: ColumnPlan[];
  private scratch: Int32Array[];
  /**
   * Known [min, max] of each word in the last encode (bounds[2w], bounds[2w + 1]), NaN when
   * unknown: a null mask without nulls is [0, 0], a fully mapped dictionary's ids give their range,
   * so the table need not scan those words for their range.
   */
  readonly bounds: Float64Array;

  constructor(types: readonly DataType[]) {
    let word = 0, needsMask = false;
    this.plans = types.map((type, c) => {
      const kind = wordKind(type);
      if (kind === undefined) throw new Error(`a list column cannot be a grouping, join or distinct key; explode it or cast it to a string first`);
      const masked = kind === "int" || kind === "wide" || kind === "float";
      needsMask ||= masked;
      const plan: ColumnPlan = { type, kind, word, maskBit: masked ? 1 << c : 0, interner: kind === "string" ? new StringInterner() : undefined };
      word += kind === "wide" || kind === "float" ? 2 : 1;
      return plan;
    });
    this.maskWord = needsMask ? word++ : -1;
    this.width = word;
    this.scratch = Array.from({ length: word }, () => new Int32Array(0));
    this.bounds = new Float64Array(2 * word);
  }

  memoryBytes(): number {
    let bytes = 0;
    for (const s of this.scratch) bytes += s.byteLength;
    for (const p of this.plans) bytes += p.interner?.memoryBytes() ?? 0;
    return bytes;
  }

  private buffer(w: number, length: number): Int32Array {
    if (this.scratch[w]!.length < length) this.scratch[w] = new Int32Array(Math.max(length, 1024));
    return this.scratch[w]!;
  }

  /**
   * The words of rows [0, length): one array per word (index = row). Arrays may alias the
   * columns' own values or scratch reused by the next call. Strings not interned yet get a word
   * no stored key has when insert is false.
   */
  encode(cols: readonly Column[], length: number, insert: boolean): Int32Array[] {
    const words: Int32Array[] = new Array(this.width);
    const bounds = this.bounds;
    bounds.fill(NaN);
    let mask: Int32Array | undefined, masked = false;
    if (this.maskWord >= 0) {
      mask = this.buffer(this.maskWord, length);
      mask.fill(0, 0, length);
      words[this.maskWord] = mask;
    }
    for (let c = 0; c < this.plans.length; c++) {
      const plan = this.plans[c]!, col = cols[c]!, w = plan.word;
      if (col.type.kind === "null" || plan.kind === "null") {
        this.allNull(plan, words, mask, length);
        masked ||= plan.maskBit !== 0;
        continue;
      }
      const validity = (col as { validity: Validity }).validity;
      switch (plan.kind) {
        case "int": {
          const values = (col as { values: Int32Array }).values;
          if (validity === undefined) { words[w] = values; break; }
          const out = words[w] = this.buffer(w, length), bit = plan.maskBit;
          masked = true;
          for (let i = 0; i < length; i++) {
            if ((validity[i >>> 3]! >>> (i & 7)) & 1) out[i] = values[i]!;
            else { out[i] = 0; mask![i]! |= bit; }
          }
          break;
        }
        case "bool": {
          const values = (col as { values: Uint8Array }).values;
          const out = words[w] = this.buffer(w, length);
          for (let i = 0; i < length; i++) {
            out[i] = validity !== undefined && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0 ? 2 : values[i] ? 1 : 0;
          }
          break;
        }
        case "string": {
          const out = words[w] = this.buffer(w, length);
          const s = col as Utf8Column | DictColumn;
          if (s.encoding === "dict") {
            plan.interner!.internDict(s, length, out, insert);
            const range = plan.interner!.dictionaryIdRange();
            if (range) { bounds[2 * w] = s.validity === undefined ? range[0] : Math.min(range[0], NULL_STRING_ID); bounds[2 * w + 1] = range[1]; }
          } else plan.interner!.internUtf8(s, length, out, insert);
          break;
        }
        case "wide": case "float": {
          const values = (col as { values: BigInt64Array | Float64Array }).values;
          const halves = new Int32Array(values.buffer, values.byteOffset, length * 2);
          const lo = words[w] = this.buffer(w, length), hi = words[w + 1] = this.buffer(w + 1, length);
          for (let i = 0; i < length; i++) { lo[i] = halves[2 * i]!; hi[i] = halves[2 * i + 1]!; }
          if (plan.kind === "float") {
            const f = values as Float64Array;
            for (let i = 0; i < length; i++) {
              const x = f[i]!;
              if (x === 0) { lo[i] = 0; hi[i] = 0; } else if (x !== x) { lo[i] = NAN_BITS[0]!; hi[i] = NAN_BITS[1]!; }
            }
          }
          if (validity !== undefined) {
            masked = true;
            const bit = plan.maskBit;
            for (let i = 0; i < length; i++) {
              if (((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) { lo[i] = 0; hi[i] = 0; mask![i]! |= bit; }
            }
          }
          break;
        }
      }
    }
    if (mask !== undefined && !masked) { bounds[2 * this.maskWord] = 0; bounds[2 * this.maskWord + 1] = 0; }
    return words;
  }

  private allNull(plan: ColumnPlan, words: Int32Array[], mask: Int32Array | undefined, length: number): void {
    const w = plan.word;
    const fill = plan.kind === "string" ? NULL_STRING_ID : plan.kind === "bool" ? 2 : 0;
    words[w] = this.buffer(w, length).fill(fill, 0, length);
    if (plan.kind === "wide" || plan.kind === "float") words[w + 1] = this.buffer(w + 1, length).fill(0, 0, length);
    if (plan.maskBit !== 0) for (let i = 0; i < length; i++) mask![i]! |= plan.maskBit;
  }

  /** Key columns of groups 0..n-1 from their stored words (wordColumn(w)[g] = word w of group g). */
  emit(wordColumn: (w: number) => Int32Array, n: number): Column[] {
    const mask = this.maskWord >= 0 ? wordColumn(this.maskWord) : undefined;
    return this.plans.map((plan) => {
      const w = plan.word, type = plan.type;
      if (plan.kind === "null") return { type, length: n } as Column;
      const validity = plan.maskBit !== 0 ? maskValidity(mask!, plan.maskBit, n) : undefined;
      switch (plan.kind) {
        case "int":
          return { type, length: n, values: wordColumn(w), validity } as Column;
        case "bool": {
          const src = wordColumn(w), values = new Uint8Array(n);
          const flags = new Uint8Array(n);
          for (let i = 0; i < n; i++) { const x = src[i]!; values[i] = x === 1 ? 1 : 0; flags[i] = x === 2 ? 0 : 1; }
          return { type, length: n, values, validity: flagsValidity(flags, n) } as Column;
        }
        case "string":
          return emitStrings(plan.type, plan.interner!, wordColumn(w), n);
        case "wide": case "float": {
          const lo = wordColumn(w), hi = wordColumn(w + 1);
          const halves = new Int32Array(n * 2);
          for (let i = 0; i < n; i++) { halves[2 * i] = lo[i]!; halves[2 * i + 1] = hi[i]!; }
          const values = plan.kind === "float" ? new Float64Array(halves.buffer) : new BigInt64Array(halves.buffer);
          return { type, length: n, values, validity } as Column;
        }
      }
    });
  }
}

/**
 * Strings of the groups, gathered into plain UTF-8 (memcpy per group, no decoding). Emitting a
 * dictionary column (codes = intern ids) was tried: the driver then had to decode one dictionary
 * per result batch when concatenating them (q10 at 1e6: ~3 s of driver time), for little gain.
 */
function emitStrings(type: DataType, interner: StringInterner, ids: Int32Array, n: number): Column {
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) flags[i] = ids[i]! === NULL_STRING_ID ? 0 : 1;
  const { offsets, bytes } = interner.gather(ids, n);
  return { type, length: n, encoding: "utf8", offsets, bytes, validity: flagsValidity(flags, n) } as Column;
}

function maskValidity(mask: Int32Array, bit: number, n: number): Validity {
  let nulls = false;
  for (let i = 0; i < n; i++) if (mask[i]! & bit) { nulls = true; break; }
  if (!nulls) return undefined;
  const out = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < n; i++) if ((mask[i]! & bit) === 0) out[i >>> 3]! |= 1 << (i & 7);
  return out;
}

function flagsValidity(flags: Uint8Array, n: number): Validity {
  let nulls = false;
  for (let i = 0; i < n; i++) if (flags[i] === 0) { nulls = true; break; }
  if (!nulls) return undefined;
  const out = new Uint8Array(bitmapBytes(n));
  for (let i = 0; i < n; i++) if (flags[i] !== 0) out[i >>> 3]! |= 1 << (i & 7);
  return out;
}
