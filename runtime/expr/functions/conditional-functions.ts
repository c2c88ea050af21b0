/**
 * Functions over arguments of one common type that pick a value per row: coalesce, nullif,
 * greatest, least. The analyzer casts all arguments to the common type first.
 */
import type { Column } from "../../batch/column.js";
import type { LiteralValue } from "../ir.js";
import { allocValues, fixedColumn, nullColumn } from "../kernels/columns.js";
import { mapRows } from "../kernels/map.js";
import { endOf, readerOf, startOf, StringBuilder, stringsOf, type StringColumn } from "../kernels/strings.js";
import { allNullBitmap, isValid, setValid } from "../kernels/validity.js";
import type { FunctionDef, FunctionDoc, KernelContext } from "./function-def.js";
import { commonTypeFunction } from "./signature.js";

type FixedCol = Column & { values: Uint8Array | Int32Array | Float64Array | BigInt64Array; validity: Uint8Array | undefined };

function coalesceKernel(args: readonly Column[], ctx: KernelContext): Column {
  const t = ctx.resultType;
  const n = ctx.length;
  const live = args.filter((a) => a.type.kind !== "null");
  if (live.length === 0 || t.kind === "null") return nullColumn(t, n);
  if (t.kind === "string") {
    const readers = live.map((a) => readerOf(a)!);
    const b = new StringBuilder(n);
    for (let i = 0; i < n; i++) {
      const r = readers.find((x) => isValid(x.validity, i));
      if (r) b.appendBytes(r.bytes, startOf(r, i), endOf(r, i));
      else b.appendNull();
    }
    return b.finish();
  }
  if (t.kind === "list") return mapRows(args, n, t, (vs) => vs.find((v) => v !== null) ?? null, false);
  const out = allocValues(t, n)!;
  const validity = allNullBitmap(n);
  const cols = live as FixedCol[];
  for (let i = 0; i < n; i++) {
    for (const c of cols) {
      if (isValid(c.validity, i)) {
        (out as Float64Array)[i] = (c.values as Float64Array)[i]!;
        setValid(validity, i);
        break;
      }
    }
  }
  return fixedColumn(t, out, validity);
}

/** greatest / least: nulls are skipped; all-null rows give null (Spark). */
function extremeKernel(wantGreater: boolean) {
  return (args: readonly Column[], ctx: KernelContext): Column => {
    const t = ctx.resultType;
    const n = ctx.length;
    const live = args.filter((a) => a.type.kind !== "null");
    if (live.length === 0 || t.kind === "null") return nullColumn(t, n);
    if (t.kind === "string") {
      const vals = live.map((a) => stringsOf(a as StringColumn));
      const b = new StringBuilder(n);
      for (let i = 0; i < n; i++) {
        let best: string | null = null;
        for (const v of vals) {
          const s = v[i]!;
          if (s !== null && (best === null || (wantGreater ? s > best : s < best))) best = s;
        }
        b.appendOrNull(best);
      }
      return b.finish();
    }
    const out = allocValues(t, n)!;
    const validity = allNullBitmap(n);
    const cols = live as FixedCol[];
    for (let i = 0; i < n; i++) {
      let found = false;
      let best: number | bigint = 0;
      for (const c of cols) {
        if (!isValid(c.validity, i)) continue;
        const v = c.values[i]!;
        // NaN counts as the largest number, as in Spark (v !== v only for NaN).
        if (!found || (wantGreater ? v > best || (v !== v && best === best) : v < best || (best !== best && v === v))) { best = v; found = true; }
      }
      if (found) { (out as Float64Array)[i] = best as number; setValid(validity, i); }
    }
    return fixedColumn(t, out, validity);
  };
}

function sameValue(a: LiteralValue, b: LiteralValue): boolean {
  return a === b || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));
}

function nullifKernel(args: readonly Column[], ctx: KernelContext): Column {
  if (args[0]!.type.kind === "null") return nullColumn(ctx.resultType, ctx.length);
  return mapRows(args, ctx.length, ctx.resultType, ([a, b]) => (a === null ? null : b !== null && sameValue(a!, b!) ? null : a!), false);
}

function doc(signature: string, description: string, example: string): FunctionDoc {
  return { signature, description, example };
}

export const conditionalFunctions: readonly FunctionDef[] = [
  commonTypeFunction({
    name: "coalesce", minArgs: 1, maxArgs: Infinity,
    doc: doc("coalesce(...xs: T[]) -> T", "The first non-null argument; null when all are null. Arguments are cast to their common type.", `F.coalesce(col("nickname"), col("name"), lit("anonymous"))`),
    kernel: coalesceKernel,
  }),
  commonTypeFunction({
    name: "ifnull", minArgs: 2, maxArgs: 2,
    doc: doc("ifnull(x: T, fallback: T) -> T", "x when it is not null, else fallback (coalesce of two).", `F.ifnull(col("discount"), lit(0))`),
    kernel: coalesceKernel,
  }),
  commonTypeFunction({
    name: "nvl", minArgs: 2, maxArgs: 2,
    doc: doc("nvl(x: T, fallback: T) -> T", "Same as ifnull.", `F.nvl(col("discount"), lit(0))`),
    kernel: coalesceKernel,
  }),
  commonTypeFunction({
    name: "nullif", minArgs: 2, maxArgs: 2,
    doc: doc("nullif(x: T, y: T) -> T", "Null when x equals y, else x (turns a sentinel into null).", `F.nullif(col("age"), lit(-1))`),
    kernel: nullifKernel,
  }),
  commonTypeFunction({
    name: "greatest", minArgs: 2, maxArgs: Infinity,
    doc: doc("greatest(...xs: T[]) -> T", "The largest non-null argument (nulls are skipped); null when all are null.", `F.greatest(col("a"), col("b"), lit(0))`),
    kernel: extremeKernel(true),
  }),
  commonTypeFunction({
    name: "least", minArgs: 2, maxArgs: Infinity,
    doc: doc("least(...xs: T[]) -> T", "The smallest non-null argument (nulls are skipped); null when all are null.", `F.least(col("a"), col("b"))`),
    kernel: extremeKernel(false),
  }),
];
