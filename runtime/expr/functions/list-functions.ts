/**
 * Functions over list columns (the result of split or collect_list): size, array_contains,
 * element_at. Lists are small per row, so these use the per-row value path.
 */
import type { Column } from "../../batch/column.js";
import type { LiteralValue } from "../ir.js";
import { mapRows } from "../kernels/map.js";
import { commonType } from "../coercion.js";
import { type DataType, Types, typeToString } from "../types.js";
import type { FunctionDef, FunctionDoc, KernelContext } from "./function-def.js";
import { checkArity } from "./signature.js";

function doc(signature: string, description: string, example: string): FunctionDoc {
  return { signature, description, example };
}

function needList(name: string, t: DataType | undefined): string | undefined {
  if (!t || t.kind === "list" || t.kind === "null") return undefined;
  return `${name}: argument 1 must be a list (from split or collect_list), got ${typeToString(t)}`;
}

function elementOf(t: DataType): DataType {
  return t.kind === "list" ? t.element : Types.null;
}

function sameValue(a: LiteralValue, b: LiteralValue): boolean {
  return a === b || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));
}

const sizeDoc = doc("size(list: list<T>) -> int32", "Number of elements. Null gives null.", `F.size(F.split(col("tags"), ","))`);
const containsDoc = doc("array_contains(list: list<T>, value: T) -> bool",
  "True when the list holds `value`; null when the list is null, or when it is not found and the list holds a null (SQL rule).",
  `F.arrayContains(col("tags"), "vip")`);
const elementAtDoc = doc("element_at(list: list<T>, index: int32) -> T",
  "The element at 1-based `index` (negative counts from the end); out of range gives null.", `F.elementAt(F.split(col("path"), "/"), -1)`);

export const listFunctions: readonly FunctionDef[] = [
  {
    name: "size", minArgs: 1, maxArgs: 1, doc: sizeDoc,
    resultType: (a) => checkArity("size", sizeDoc.signature, 1, 1, a.length) ?? needList("size", a[0]) ?? Types.int32,
    kernel: (args: readonly Column[], ctx: KernelContext) => mapRows(args, ctx.length, Types.int32, ([l]) => (l as LiteralValue[]).length),
  },
  {
    name: "array_contains", minArgs: 2, maxArgs: 2, doc: containsDoc,
    resultType(a) {
      const bad = checkArity("array_contains", containsDoc.signature, 2, 2, a.length) ?? needList("array_contains", a[0]);
      if (bad) return bad;
      if (!commonType(elementOf(a[0]!), a[1]!)) {
        return `array_contains: the value (${typeToString(a[1]!)}) cannot be compared with the list's elements (${typeToString(elementOf(a[0]!))})`;
      }
      return Types.bool;
    },
    castArgsTo(a) {
      const e = a[0] && a[1] ? commonType(elementOf(a[0]), a[1]) : undefined;
      return e ? [Types.list(e), e] : a;
    },
    kernel: (args, ctx) => mapRows(args, ctx.length, Types.bool, ([l, v]) => {
      const list = l as LiteralValue[];
      if (list.some((x) => x !== null && sameValue(x, v!))) return true;
      return list.includes(null) ? null : false;
    }),
  },
  {
    name: "element_at", minArgs: 2, maxArgs: 2, doc: elementAtDoc,
    resultType: (a) => checkArity("element_at", elementAtDoc.signature, 2, 2, a.length) ?? needList("element_at", a[0]) ?? elementOf(a[0]!),
    castArgsTo: (a) => [a[0]!, Types.int32],
    kernel: (args, ctx) => mapRows(args, ctx.length, ctx.resultType, ([l, i]) => {
      const list = l as LiteralValue[];
      const k = i as number;
      const at = k > 0 ? k - 1 : list.length + k;
      return k === 0 || at < 0 || at >= list.length ? null : list[at]!;
    }),
  },
];
