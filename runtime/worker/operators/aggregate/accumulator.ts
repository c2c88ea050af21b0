/**
 * An aggregate's per-group state, kept in typed arrays indexed by group id. The same object
 * serves the three modes of HashAggregateExec: `update` consumes input rows (partial, complete),
 * `state` emits the partial state columns, `merge` consumes them (final), `finish` gives the result.
 */
import type { Column, Validity } from "../../../batch/column.js";
import type { DataType } from "../../../expr/types.js";

export interface Accumulator {
  /** Types of the state columns emitted by `state` and read by `merge`, in order. */
  readonly stateTypes: readonly DataType[];
  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void;
  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void;
  state(numGroups: number): Column[];
  finish(numGroups: number): Column;
  memoryBytes(): number;
}

/** Grows a typed array to hold at least n elements (doubling), keeping its contents. */
export function ensure<T extends Float64Array | Int32Array | Uint8Array | BigInt64Array>(arr: T, n: number): T {
  if (arr.length >= n) return arr;
  const next = new (arr.constructor as new (n: number) => T)(Math.max(n, arr.length * 2, 16));
  next.set(arr as never);
  return next;
}

export function validityOf(col: Column): Validity | null {
  return col.type.kind === "null" ? null : (col as { validity: Validity }).validity;
}

/** Bitmap from byte flags (1 = valid), or undefined when all are valid. */
export function flagsToBitmap(flags: Uint8Array, n: number): Validity {
  let all = true;
  for (let i = 0; i < n; i++) if (flags[i] === 0) { all = false; break; }
  if (all) return undefined;
  const out = new Uint8Array((n + 7) >>> 3);
  for (let i = 0; i < n; i++) if (flags[i] !== 0) out[i >>> 3]! |= 1 << (i & 7);
  return out;
}

const TWO32 = 4294967296;

/** Any numeric column as float64 values (nulls read as 0; check validity separately). */
export function asFloat64(col: Column): Float64Array {
  const n = col.length;
  switch (col.type.kind) {
    case "float64": return (col as { values: Float64Array }).values;
    case "int32": case "date": case "bool": return Float64Array.from((col as { values: Int32Array | Uint8Array }).values.subarray(0, n));
    case "int64": case "timestamp": case "decimal": {
      const big = (col as { values: BigInt64Array }).values;
      const words = new Int32Array(big.buffer, big.byteOffset, n * 2);
      const out = new Float64Array(n);
      const scale = col.type.kind === "decimal" ? Math.pow(10, col.type.scale) : 1;
      for (let i = 0; i < n; i++) out[i] = (words[2 * i + 1]! * TWO32 + (words[2 * i]! >>> 0)) / scale;
      return out;
    }
    case "null": return new Float64Array(n);
    default: throw new Error(`expected a numeric column, got ${col.type.kind}`);
  }
}

/** Per-row validity of a column as a function-free check: returns a byte flag array (1 = valid). */
export function validFlags(col: Column): Uint8Array {
  const n = col.length;
  const v = validityOf(col);
  const out = new Uint8Array(n);
  if (v === null) return out;
  if (v === undefined) return out.fill(1);
  for (let i = 0; i < n; i++) out[i] = (v[i >>> 3]! >>> (i & 7)) & 1;
  return out;
}
