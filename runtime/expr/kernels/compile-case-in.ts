/**
 * CASE WHEN and IN. CASE evaluates every branch over the batch, then picks per row the first branch
 * whose condition is true (null counts as false). IN with constant lists probes a Set (on the
 * dictionary for dictionary strings); SQL semantics: x IN (1, null) is null when x is not 1.
 */
import type { Batch, Column } from "../../batch/column.js";
import type { LiteralValue } from "../ir.js";
import { commonOf } from "../functions/signature.js";
import { Types, typeToString } from "../types.js";
import { fixedColumn, nullColumn, valueAt } from "./columns.js";
import { expandByCodes } from "./dictionary.js";
import { ExprCompileError } from "./errors.js";
import { castNode, type Node } from "./node.js";
import { pickPerRow } from "./pick.js";
import { dictionaryOf, type StringColumn } from "./strings.js";
import { allNullBitmap, isValid, setValid } from "./validity.js";

type BoolCol = Extract<Column, { values: Uint8Array }>;

export function compileCase(branches: readonly { when: Node; then: Node }[], otherwise: Node | undefined): Node {
  for (const b of branches) {
    if (b.when.type.kind !== "bool" && b.when.type.kind !== "null") {
      throw new ExprCompileError(`when() needs a boolean condition, got ${typeToString(b.when.type)}; compare it, e.g. col("x").gt(0)`);
    }
  }
  const values = [...branches.map((b) => b.then), ...(otherwise ? [otherwise] : [])];
  const common = commonOf("when/otherwise", values.map((v) => v.type));
  if (typeof common === "string") throw new ExprCompileError(common);
  const thens = branches.map((b) => castNode(b.then, common));
  const other = otherwise ? castNode(otherwise, common) : undefined;
  return {
    type: common,
    evaluate(batch: Batch): Column {
      const n = batch.length;
      const choice = new Int32Array(n).fill(-2);
      let undecided = n;
      for (let k = 0; k < branches.length && undecided > 0; k++) {
        const cond = branches[k]!.when.evaluate(batch);
        if (cond.type.kind === "null") continue;
        const c = cond as BoolCol;
        for (let i = 0; i < n; i++) {
          if (choice[i] === -2 && c.values[i] === 1 && isValid(c.validity, i)) { choice[i] = k; undecided--; }
        }
      }
      const sources = thens.map((t) => t.evaluate(batch));
      const fallback = other ? sources.push(other.evaluate(batch)) - 1 : -1;
      for (let i = 0; i < n; i++) if (choice[i] === -2) choice[i] = fallback;
      return pickPerRow(common, sources, choice, n);
    },
  };
}

export function compileIn(value: Node, list: readonly Node[], negated: boolean): Node | undefined {
  const common = commonOf("isin", [value.type, ...list.map((l) => l.type)]);
  if (typeof common === "string") throw new ExprCompileError(common);
  const items = list.map((l) => castNode(l, common));
  if (!items.every((i) => i.constant)) return undefined; // caller rewrites to a chain of =/or
  const v = castNode(value, common);
  const set = new Set<LiteralValue>();
  let listHasNull = false;
  for (const it of items) {
    const x = it.constant!.value;
    if (x === null) listHasNull = true;
    else set.add(x);
  }
  const probe = (col: Column, n: number): Column => {
    if (col.type.kind === "null") return nullColumn(Types.bool, n);
    const out = new Uint8Array(n);
    const validity = allNullBitmap(n);
    if ("values" in col && col.type.kind !== "bool") {
      // Numbers and bigints straight from the typed array (no per-row value objects).
      const vals = col.values as Int32Array | Float64Array | BigInt64Array;
      const inValid = col.validity;
      for (let i = 0; i < n; i++) {
        if (!isValid(inValid, i)) continue;
        const hit = set.has(vals[i]!);
        if (!hit && listHasNull) continue;
        out[i] = hit !== negated ? 1 : 0;
        validity[i >> 3]! |= 1 << (i & 7);
      }
      return fixedColumn(Types.bool, out, validity);
    }
    for (let i = 0; i < n; i++) {
      const x = valueAt(col, i);
      if (x === null) continue;
      const hit = set.has(x);
      if (!hit && listHasNull) continue;
      out[i] = hit !== negated ? 1 : 0;
      setValid(validity, i);
    }
    return fixedColumn(Types.bool, out, validity);
  };
  return {
    type: Types.bool,
    evaluate(batch) {
      const col = v.evaluate(batch);
      if (col.type.kind === "string" && (col as StringColumn).encoding === "dict") {
        const d = col as Extract<StringColumn, { encoding: "dict" }>;
        return expandByCodes(d, probe(dictionaryOf(d), d.dictionary.length));
      }
      return probe(col, batch.length);
    },
  };
}
