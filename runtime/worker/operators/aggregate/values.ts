/**
 * min, max, first, last: one value per group, stored by physical kind (float64 slots for
 * int32/date/bool/float64, bigint slots for int64/timestamp/decimal, byte strings for strings).
 * Strings compare by UTF-8 bytes (= code point order). NaN is larger than every number (Spark).
 */
import type { Column, Validity } from "../../../batch/column.js";
import type { DataType } from "../../../expr/types.js";
import { Types } from "../../../expr/types.js";
import type { StringColumn, Utf8Column } from "../../../batch/ops/column-types.js";
import { ensure, flagsToBitmap, validFlags, type Accumulator } from "./accumulator.js";
import { pickF64, pickI32 } from "./numeric-kernels.js";

type Kind = "num" | "big" | "str";

function kindOf(t: DataType): Kind {
  switch (t.kind) {
    case "int64": case "timestamp": case "decimal": return "big";
    case "string": return "str";
    case "list": throw new Error("min/max/first/last of a list column is not supported");
    default: return "num";
  }
}

export function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) { const d = a[as + k]! - b[bs + k]!; if (d !== 0) return d; }
  return (ae - as) - (be - bs);
}

function numGreater(a: number, b: number): boolean {
  return a !== a ? b === b : a > b;
}

function stringParts(col: Column): { offsets: Int32Array; bytes: Uint8Array; codes: Int32Array | undefined } {
  const s = col as StringColumn;
  if (s.encoding === "dict") { const d = s.dictionary as Utf8Column; return { offsets: d.offsets, bytes: d.bytes, codes: s.codes }; }
  return { offsets: s.offsets, bytes: s.bytes, codes: undefined };
}

/** Which rows replace the stored value: "min"/"max" by comparison, "first"/"last" by order. */
export type PickRule = "min" | "max" | "first" | "last";

export class PickAccumulator implements Accumulator {
  readonly stateTypes: DataType[];
  private readonly kind: Kind;
  private nums = new Float64Array(16);
  private bigs = new BigInt64Array(16);
  private strs: (Uint8Array | undefined)[] = [];
  private valid = new Uint8Array(16);
  private set = new Uint8Array(16);

  constructor(private readonly rule: PickRule, private readonly type: DataType, private readonly ignoreNulls: boolean) {
    this.kind = kindOf(type);
    this.stateTypes = rule === "first" || rule === "last" ? [type, Types.bool] : [type];
  }

  private grow(n: number): void {
    this.valid = ensure(this.valid, n); this.set = ensure(this.set, n);
    if (this.kind === "num") this.nums = ensure(this.nums, n);
    else if (this.kind === "big") this.bigs = ensure(this.bigs, n);
  }

  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    this.consume(gids, args[0]!, undefined, length, numGroups);
  }

  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void {
    const setFlags = states[1] ? (states[1] as { values: Uint8Array }).values : undefined;
    this.consume(gids, states[0]!, setFlags, length, numGroups);
  }

  private consume(gids: Int32Array, col: Column, setFlags: Uint8Array | undefined, length: number, numGroups: number): void {
    this.grow(numGroups);
    if (this.kind === "num" && (this.rule === "min" || this.rule === "max") && (col.type.kind === "int32" || col.type.kind === "date" || col.type.kind === "float64")) {
      // The common case read in place (no validity flag copy); `set` mirrors `valid` for min/max.
      const validity = (col as { validity: Validity }).validity;
      if (col.type.kind === "float64") pickF64(gids, (col as { values: Float64Array }).values, validity, length, this.rule === "max", this.nums, this.valid);
      else pickI32(gids, (col as { values: Int32Array }).values, validity, length, this.rule === "max", this.nums, this.valid);
      return;
    }
    const f = validFlags(col);
    const rule = this.rule, valid = this.valid, set = this.set;
    const byOrder = rule === "first" || rule === "last";
    // skipNulls: min/max always; first/last only with ignoreNulls (merge: also skip unset states).
    const skipNulls = !byOrder || this.ignoreNulls;
    const wantMax = rule === "max";
    if (this.kind === "num") {
      const v = (col as { values: Float64Array | Int32Array | Uint8Array }).values ?? new Float64Array(length);
      const nums = this.nums;
      for (let i = 0; i < length; i++) {
        if (setFlags && !setFlags[i]) continue;
        if (skipNulls && !f[i]) continue;
        const g = gids[i]!;
        if (byOrder) { if (rule === "first" && set[g]) continue; }
        else if (valid[g] && (wantMax ? !numGreater(v[i]!, nums[g]!) : !numGreater(nums[g]!, v[i]!))) continue;
        nums[g] = f[i] ? v[i]! : 0; valid[g] = f[i]!; set[g] = 1;
      }
      return;
    }
    if (this.kind === "big") {
      const v = (col as { values: BigInt64Array }).values ?? new BigInt64Array(length);
      const bigs = this.bigs;
      for (let i = 0; i < length; i++) {
        if (setFlags && !setFlags[i]) continue;
        if (skipNulls && !f[i]) continue;
        const g = gids[i]!;
        if (byOrder) { if (rule === "first" && set[g]) continue; }
        else if (valid[g] && (wantMax ? !(v[i]! > bigs[g]!) : !(v[i]! < bigs[g]!))) continue;
        bigs[g] = f[i] ? v[i]! : 0n; valid[g] = f[i]!; set[g] = 1;
      }
      return;
    }
    const { offsets, bytes, codes } = col.type.kind === "null" ? { offsets: new Int32Array(length + 1), bytes: new Uint8Array(0), codes: undefined } : stringParts(col);
    const strs = this.strs;
    for (let i = 0; i < length; i++) {
      if (setFlags && !setFlags[i]) continue;
      if (skipNulls && !f[i]) continue;
      const g = gids[i]!;
      const j = codes ? codes[i]! : i;
      const s = offsets[j]!, e = offsets[j + 1]!;
      if (byOrder) { if (rule === "first" && set[g]) continue; }
      else if (valid[g]) {
        const cur = strs[g]!;
        const c = compareBytes(bytes, s, e, cur, 0, cur.length);
        if (wantMax ? c <= 0 : c >= 0) continue;
      }
      strs[g] = f[i] ? bytes.slice(s, e) : undefined; valid[g] = f[i]!; set[g] = 1;
    }
  }

  state(n: number): Column[] {
    const value = this.finish(n);
    if (this.stateTypes.length === 1) return [value];
    return [value, { type: Types.bool, length: n, values: this.set.slice(0, n), validity: undefined }];
  }

  finish(n: number): Column {
    this.grow(n);
    const validity = flagsToBitmap(this.valid, n);
    const type = this.type;
    if (this.kind === "big") return { type, length: n, values: this.bigs.slice(0, n), validity } as Column;
    if (this.kind === "num") {
      const src = this.nums;
      if (type.kind === "float64") return { type, length: n, values: src.slice(0, n), validity } as Column;
      if (type.kind === "bool") return { type, length: n, values: Uint8Array.from(src.subarray(0, n)), validity } as Column;
      if (type.kind === "null") return { type, length: n } as Column;
      return { type, length: n, values: Int32Array.from(src.subarray(0, n)), validity } as Column;
    }
    const offsets = new Int32Array(n + 1);
    for (let g = 0; g < n; g++) offsets[g + 1] = offsets[g]! + (this.valid[g] ? this.strs[g]!.length : 0);
    const bytes = new Uint8Array(offsets[n]!);
    for (let g = 0; g < n; g++) if (this.valid[g]) bytes.set(this.strs[g]!, offsets[g]!);
    return { type, length: n, encoding: "utf8", offsets, bytes, validity } as Column;
  }

  memoryBytes(): number {
    let strBytes = 0;
    for (const s of this.strs) if (s) strBytes += s.length + 16;
    return this.nums.byteLength + this.bigs.byteLength + this.valid.byteLength * 2 + strBytes;
  }
}
