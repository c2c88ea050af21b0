/**
 * Compiles registry function calls and UDFs. Arguments get the casts the function asks for; a
 * function that depends only on its first argument's value runs once over a string dictionary.
 */
import type { Batch, Column } from "../../batch/column.js";
import { getFunction, suggestFunctions } from "../functions/registry.js";
import type { FunctionDef, KernelContext } from "../functions/registry.js";
import type { Expr, LiteralValue } from "../ir.js";
import type { DataType } from "../types.js";
import { literalColumn, valueAt } from "./columns.js";
import { expandByCodes } from "./dictionary.js";
import { ExprCompileError } from "./errors.js";
import { castNode, constantNode, type Node } from "./node.js";
import { dictionaryOf, type StringColumn } from "./strings.js";
import { evaluateUdf } from "./udf.js";

export function compileCall(expr: Expr & { kind: "Call" }, args: readonly Node[]): Node {
  const def = getFunction(expr.fn);
  if (!def) {
    const near = suggestFunctions(expr.fn);
    throw new ExprCompileError(`Unknown function "${expr.fn}"` + (near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(" or ")}?` : ""));
  }
  const rawTypes = args.map((a) => a.type);
  const resultType = def.resultType(rawTypes);
  if (typeof resultType === "string") throw new ExprCompileError(resultType);
  const castTo = def.castArgsTo?.(rawTypes) ?? rawTypes;
  const cast = args.map((a, i) => castNode(a, castTo[i]!));
  const argTypes = cast.map((a) => a.type);
  const constants = cast.map((a) => a.constant?.value);
  const allConstant = cast.every((a) => a.constant) && def.deterministic !== false;
  const node: Node = {
    type: resultType,
    evaluate: (batch) => evaluateCall(def, cast, batch, { length: batch.length, resultType, argTypes, constants }),
  };
  if (allConstant && cast.length > 0) {
    // Fold a call over literals once (e.g. lower(lit("A"))), so parents see a constant.
    const one = node.evaluate({ schema: { fields: [] }, length: 1, columns: [] });
    return constantNode(valueOfFirst(one), resultType);
  }
  return node;
}

function valueOfFirst(c: Column): LiteralValue {
  return valueAt(c, 0);
}

function evaluateCall(def: FunctionDef, args: readonly Node[], batch: Batch, ctx: KernelContext): Column {
  const first = args[0];
  if (def.perValueOfFirstArg && first && !first.constant && args.slice(1).every((a) => a.constant)) {
    const col = first.evaluate(batch);
    if (col.type.kind === "string" && (col as StringColumn).encoding === "dict") {
      const dictCol = col as Extract<StringColumn, { encoding: "dict" }>;
      const dict = dictionaryOf(dictCol);
      const n = dict.length;
      const dictArgs = [dict as Column, ...args.slice(1).map((a) => literalColumn(a.constant!.value, a.type, n))];
      const perEntry = def.kernel(dictArgs, { ...ctx, length: n });
      return expandByCodes(dictCol, perEntry);
    }
    return def.kernel([col, ...args.slice(1).map((a) => a.evaluate(batch))], ctx);
  }
  return def.kernel(args.map((a) => a.evaluate(batch)), ctx);
}

export function compileUdf(expr: Expr & { kind: "Udf" }, args: readonly Node[]): Node {
  const argNames = expr.args.map((a, i) => (a.kind === "Column" ? a.name : a.kind === "Alias" ? a.name : `arg${i + 1}`));
  const call = { name: expr.name, source: expr.source, returnType: expr.returnType, argNames };
  const type: DataType = expr.returnType;
  return { type, evaluate: (batch) => evaluateUdf(call, args.map((a) => a.evaluate(batch)), batch.length) };
}
