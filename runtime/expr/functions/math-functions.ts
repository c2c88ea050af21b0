/**
 * Math functions. Most take float64 (the analyzer casts integers); abs, round, floor and ceil keep
 * integer and decimal types exact. Rounding is HALF_UP on the decimal value, as in Spark.
 */
import type { Column } from "../../batch/column.js";
import { allocValues, fixedColumn } from "../kernels/columns.js";
import { mapFloat64 } from "../kernels/map.js";
import { allNullBitmap, andValidity, isValid, setValid } from "../kernels/validity.js";
import { type DataType, Types } from "../types.js";
import type { FunctionDef, FunctionDoc, KernelContext } from "./function-def.js";
import { simpleFunction } from "./signature.js";

type NumCol = Column & { values: Int32Array | Float64Array | BigInt64Array; validity: Uint8Array | undefined };

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** HALF_UP rounding of the shortest decimal text of `x` (so round(1.005, 2) = 1.01, as Spark). */
export function roundHalfUp(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const ax = Math.abs(x);
  if (digits >= 0 && digits <= 15) {
    // Fast path: away from a .5 tie the binary product rounds the same as the decimal text.
    const p = POW10[digits]!;
    const y = ax * p;
    if (y < 2 ** 52) {
      const frac = y - Math.floor(y);
      if (Math.abs(frac - 0.5) > 1e-7) {
        const r = Math.round(y) / p;
        return x < 0 ? -r : r;
      }
    }
  }
  return roundHalfUpByText(x, digits);
}

/** The reference semantics: HALF_UP on the shortest decimal text of x (slow; used near .5 ties). */
export function roundHalfUpByText(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const ax = Math.abs(x);
  // Round on the decimal digits themselves: scaling the text back into a double (the old way)
  // loses the last digit once the shifted value passes 2^50 (122445528.53837404 at 7 places).
  const [mant, exp] = ax.toExponential().split("e") as [string, string];
  const text = mant.replace(".", "");
  const keep = Number(exp) + 1 + digits; // digits of `text` left of the rounding point
  if (keep >= text.length) return x; // no digits beyond `digits` to round
  if (keep < 0) return x < 0 ? -0 : 0;
  const up = text.charCodeAt(keep) >= 53; // next digit >= "5": HALF_UP on the absolute value
  const kept = BigInt(keep === 0 ? "0" : text.slice(0, keep)) + (up ? 1n : 0n);
  const back = Number(`${kept}e${-digits}`);
  return x < 0 ? -back : back;
}

/** HALF_UP rounding of an integer to a multiple of 10^places (places > 0). */
function roundBigHalfUp(v: bigint, places: number): bigint {
  if (places <= 0) return v;
  const p = 10n ** BigInt(places);
  const q = v / p;
  const r = v % p;
  const twice = (r < 0n ? -r : r) * 2n;
  return (twice >= p ? q + (v < 0n ? -1n : 1n) : q) * p;
}

function scaleOf(t: DataType): number {
  return t.kind === "decimal" ? t.scale : 0;
}

function roundKernel(args: readonly Column[], ctx: KernelContext): Column {
  const x = args[0] as NumCol;
  const t = ctx.resultType;
  const out = allocValues(t, ctx.length)!;
  if (x.type.kind === "null") return fixedColumn(t, out, allNullBitmap(ctx.length));
  const dCol = args[1] as NumCol | undefined;
  const constDigits = ctx.constants[1];
  const validity = dCol ? andValidity(ctx.length, x.validity, dCol.validity) : x.validity;
  for (let i = 0; i < ctx.length; i++) {
    if (!isValid(validity, i)) continue;
    const digits = typeof constDigits === "number" ? constDigits : dCol ? Number(dCol.values[i]) : 0;
    if (out instanceof Float64Array) out[i] = roundHalfUp(x.values[i] as number, digits);
    else if (out instanceof Int32Array) out[i] = Number(roundBigHalfUp(BigInt(x.values[i] as number), -digits)) | 0;
    else (out as BigInt64Array)[i] = roundBigHalfUp(x.values[i] as bigint, scaleOf(t) - digits);
  }
  return fixedColumn(t, out, validity);
}

function absKernel(args: readonly Column[], ctx: KernelContext): Column {
  const x = args[0] as NumCol;
  const t = ctx.resultType;
  const out = allocValues(t, ctx.length)!;
  if (x.type.kind === "null") return fixedColumn(t, out, allNullBitmap(ctx.length));
  if (out instanceof BigInt64Array) {
    const src = x.values as BigInt64Array;
    for (let i = 0; i < ctx.length; i++) { const v = src[i]!; out[i] = v < 0n ? -v : v; }
  } else if (out instanceof Int32Array) {
    const src = x.values as Int32Array;
    for (let i = 0; i < ctx.length; i++) out[i] = Math.abs(src[i]!) | 0;
  } else {
    const src = x.values as Float64Array;
    for (let i = 0; i < ctx.length; i++) out[i] = Math.abs(src[i]!);
  }
  return fixedColumn(t, out, x.validity);
}

/** floor/ceil: float64 -> int64 (Spark), integers unchanged, decimal -> decimal scale 0. */
function floorCeil(up: boolean) {
  return (args: readonly Column[], ctx: KernelContext): Column => {
    const x = args[0] as NumCol;
    const t = ctx.resultType;
    if (x.type.kind === "int32" || x.type.kind === "int64") return x;
    const out = new BigInt64Array(ctx.length);
    if (x.type.kind === "null") return fixedColumn(t, out, allNullBitmap(ctx.length));
    if (x.type.kind === "decimal") {
      const p = 10n ** BigInt(x.type.scale);
      const src = x.values as BigInt64Array;
      for (let i = 0; i < ctx.length; i++) {
        const v = src[i]!;
        let q = v / p;
        const r = v % p;
        if (up && r > 0n) q += 1n;
        if (!up && r < 0n) q -= 1n;
        out[i] = q;
      }
    } else {
      const src = x.values as Float64Array;
      for (let i = 0; i < ctx.length; i++) {
        const v = up ? Math.ceil(src[i]!) : Math.floor(src[i]!);
        // NaN and infinities have no integer; Spark's cast gives 0 / the int64 limits.
        out[i] = Number.isNaN(v) ? 0n : v >= 9.223372036854776e18 ? 0x7fffffffffffffffn : v <= -9.223372036854776e18 ? -0x8000000000000000n : BigInt(v);
      }
    }
    return fixedColumn(t, out, x.validity);
  };
}

function floorCeilType(args: readonly DataType[]): DataType {
  const t = args[0]!;
  if (t.kind === "int32" || t.kind === "int64") return t;
  if (t.kind === "decimal") return Types.decimal(Math.min(18, Math.max(1, t.precision - t.scale + 1)), 0);
  return Types.int64;
}

function logKernel(args: readonly Column[], ctx: KernelContext): Column {
  if (args.length === 1) return mapFloat64(args[0]!, (x) => (x <= 0 ? null : Math.log(x)));
  const base = args[0] as NumCol;
  const x = args[1] as NumCol;
  const out = new Float64Array(ctx.length);
  if (base.type.kind === "null" || x.type.kind === "null") return fixedColumn(Types.float64, out, allNullBitmap(ctx.length));
  const validity = allNullBitmap(ctx.length);
  const inValid = andValidity(ctx.length, base.validity, x.validity);
  for (let i = 0; i < ctx.length; i++) {
    const b = base.values[i] as number;
    const v = x.values[i] as number;
    if (!isValid(inValid, i) || b <= 0 || v <= 0) continue;
    setValid(validity, i);
    out[i] = Math.log(v) / Math.log(b);
  }
  return fixedColumn(Types.float64, out, validity);
}

function powKernel(args: readonly Column[], ctx: KernelContext): Column {
  const a = args[0] as NumCol;
  const b = args[1] as NumCol;
  const out = new Float64Array(ctx.length);
  if (a.type.kind === "null" || b.type.kind === "null") return fixedColumn(Types.float64, out, allNullBitmap(ctx.length));
  const av = a.values as Float64Array;
  const bv = b.values as Float64Array;
  for (let i = 0; i < ctx.length; i++) out[i] = Math.pow(av[i]!, bv[i]!);
  return fixedColumn(Types.float64, out, andValidity(ctx.length, a.validity, b.validity));
}

function isnanKernel(args: readonly Column[], ctx: KernelContext): Column {
  const x = args[0] as NumCol;
  const out = new Uint8Array(ctx.length);
  if (x.type.kind !== "null") {
    const src = x.values as Float64Array;
    for (let i = 0; i < ctx.length; i++) out[i] = isValid(x.validity, i) && Number.isNaN(src[i]!) ? 1 : 0;
  }
  return fixedColumn(Types.bool, out, undefined);
}

function doc(signature: string, description: string, example: string): FunctionDoc {
  return { signature, description, example };
}

function unaryFloat(name: string, description: string, example: string, fn: (x: number) => number | null): FunctionDef {
  return simpleFunction({
    name, params: ["float64"], result: Types.float64,
    doc: doc(`${name}(x: number) -> float64`, description, example),
    kernel: (args) => mapFloat64(args[0]!, fn),
  });
}

export const mathFunctions: readonly FunctionDef[] = [
  simpleFunction({
    name: "abs", params: ["numeric"], result: (a) => a[0]!,
    doc: doc("abs(x: number) -> same type", "Absolute value; keeps the input type. Null gives null.", `F.abs(col("delta"))`),
    kernel: absKernel,
  }),
  simpleFunction({
    name: "round", params: ["numeric", "int32"], optional: 1, result: (a) => a[0]!,
    doc: doc("round(x: number, scale?: int32 = 0) -> same type",
      "Rounds HALF_UP (away from zero on .5, like Spark) to `scale` decimal places; a negative scale rounds to tens, hundreds... Null gives null.",
      `F.round(col("price"), 2)  // 2.345 -> 2.35, -2.5 -> -3`),
    kernel: roundKernel,
  }),
  simpleFunction({
    name: "floor", params: ["numeric"], result: floorCeilType,
    doc: doc("floor(x: number) -> int64 (decimal: decimal scale 0)", "Largest integer not above x. Null gives null.", `F.floor(col("x"))  // -1.5 -> -2`),
    kernel: floorCeil(false),
  }),
  simpleFunction({
    name: "ceil", params: ["numeric"], result: floorCeilType,
    doc: doc("ceil(x: number) -> int64 (decimal: decimal scale 0)", "Smallest integer not below x. Null gives null.", `F.ceil(col("x"))  // 1.2 -> 2`),
    kernel: floorCeil(true),
  }),
  simpleFunction({
    name: "log", params: ["float64", "float64"], optional: 1, result: Types.float64,
    doc: doc("log(x: number) | log(base: number, x: number) -> float64",
      "Natural logarithm of x, or logarithm in `base`. x <= 0 (or base <= 0) gives null, as in Spark.", `F.log(col("x")); F.log(2, col("x"))`),
    kernel: logKernel,
  }),
  unaryFloat("ln", "Natural logarithm; x <= 0 gives null.", `F.ln(col("x"))`, (x) => (x <= 0 ? null : Math.log(x))),
  unaryFloat("log10", "Base-10 logarithm; x <= 0 gives null.", `F.log10(col("x"))  // 1000 -> 3`, (x) => (x <= 0 ? null : Math.log10(x))),
  unaryFloat("log2", "Base-2 logarithm; x <= 0 gives null.", `F.log2(col("x"))  // 8 -> 3`, (x) => (x <= 0 ? null : Math.log2(x))),
  unaryFloat("exp", "e raised to x. Null gives null.", `F.exp(col("x"))  // 0 -> 1`, Math.exp),
  unaryFloat("sqrt", "Square root; negative x gives NaN (as in Spark). Null gives null.", `F.sqrt(col("x"))  // 9 -> 3`, Math.sqrt),
  unaryFloat("signum", "-1, 0 or 1 by the sign of x. Null gives null.", `F.signum(col("x"))`, Math.sign),
  simpleFunction({
    name: "pow", params: ["float64", "float64"], result: Types.float64,
    doc: doc("pow(x: number, y: number) -> float64", "x raised to y. Null in either gives null.", `F.pow(col("x"), 2)`),
    kernel: powKernel,
  }),
  simpleFunction({
    name: "isnan", params: ["float64"], result: Types.bool,
    doc: doc("isnan(x: number) -> bool", "True when x is NaN; null gives false (never null).", `F.isnan(col("ratio"))`),
    kernel: isnanKernel,
  }),
];
