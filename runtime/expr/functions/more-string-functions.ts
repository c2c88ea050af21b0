/**
 * More string functions (padding, case, search, repetition), per value on JS strings; the compiler
 * runs them once per dictionary entry for dictionary columns. Positions count code points, 1-based.
 */
import type { Column } from "../../batch/column.js";
import type { LiteralValue } from "../ir.js";
import { mapRows } from "../kernels/map.js";
import { Types } from "../types.js";
import type { FunctionDef, FunctionDoc, KernelContext } from "./function-def.js";
import { simpleFunction } from "./signature.js";

function doc(signature: string, description: string, example: string): FunctionDoc {
  return { signature, description, example };
}

/** Spark's lpad/rpad: pad with `pad` repeated to `len` characters, or cut to `len` when longer. */
export function pad(s: string, len: number, padWith: string, left: boolean): string {
  const chars = [...s];
  if (len <= 0) return "";
  if (chars.length >= len) return chars.slice(0, len).join("");
  const fill = [...padWith];
  if (fill.length === 0) return s;
  const need = len - chars.length;
  const padding: string[] = [];
  for (let i = 0; i < need; i++) padding.push(fill[i % fill.length]!);
  return left ? padding.join("") + s : s + padding.join("");
}

function padKernel(left: boolean) {
  return (args: readonly Column[], ctx: KernelContext): Column =>
    mapRows(args, ctx.length, Types.string, (v) => pad(v[0] as string, v[1] as number, v.length > 2 ? (v[2] as string) : " ", left));
}

function perRow(fn: (v: LiteralValue[]) => LiteralValue) {
  return (args: readonly Column[], ctx: KernelContext): Column => mapRows(args, ctx.length, ctx.resultType, fn);
}

export const moreStringFunctions: readonly FunctionDef[] = [
  simpleFunction({
    name: "lpad", params: ["string", "int32", "string"], optional: 1, result: Types.string, perValueOfFirstArg: true,
    doc: doc("lpad(str: string, len: int32, pad?: string = \" \") -> string", "Pads on the left with `pad` to `len` characters; a longer value is cut to `len`. Null gives null.", `F.lpad(col("id"), 6, "0")  // "42" -> "000042"`),
    kernel: padKernel(true),
  }),
  simpleFunction({
    name: "rpad", params: ["string", "int32", "string"], optional: 1, result: Types.string, perValueOfFirstArg: true,
    doc: doc("rpad(str: string, len: int32, pad?: string = \" \") -> string", "Pads on the right with `pad` to `len` characters; a longer value is cut to `len`. Null gives null.", `F.rpad(col("code"), 4, "-")  // "ab" -> "ab--"`),
    kernel: padKernel(false),
  }),
  simpleFunction({
    name: "initcap", params: ["string"], result: Types.string, perValueOfFirstArg: true,
    doc: doc("initcap(str: string) -> string", "Upper-cases the first letter of each space-separated word and lower-cases the rest. Null gives null.", `F.initcap(col("name"))  // "aNN lee" -> "Ann Lee"`),
    kernel: perRow(([s]) => (s as string).split(" ").map((w) => (w ? w[0]!.toUpperCase() + w.slice(1).toLowerCase() : w)).join(" ")),
  }),
  simpleFunction({
    name: "instr", params: ["string", "string"], result: Types.int32, perValueOfFirstArg: true,
    doc: doc("instr(str: string, part: string) -> int32", "1-based character position of the first `part` in `str`, 0 when absent. Null gives null.", `F.instr(col("email"), "@")  // "a@b" -> 2`),
    kernel: perRow(([s, p]) => {
      const at = (s as string).indexOf(p as string);
      return at < 0 ? 0 : [...(s as string).slice(0, at)].length + 1;
    }),
  }),
  simpleFunction({
    name: "reverse", params: ["string"], result: Types.string, perValueOfFirstArg: true,
    doc: doc("reverse(str: string) -> string", "The characters in reverse order. Null gives null.", `F.reverse(col("s"))  // "abc" -> "cba"`),
    kernel: perRow(([s]) => [...(s as string)].reverse().join("")),
  }),
  simpleFunction({
    name: "repeat", params: ["string", "int32"], result: Types.string, perValueOfFirstArg: true,
    doc: doc("repeat(str: string, n: int32) -> string", "`str` repeated n times (n <= 0 gives \"\"). Null gives null.", `F.repeat(lit("ab"), 3)  // "ababab"`),
    kernel: perRow(([s, n]) => (s as string).repeat(Math.max(0, n as number))),
  }),
];
