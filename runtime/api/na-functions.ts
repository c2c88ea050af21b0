/**
 * df.na: missing-value handling, as Spark's DataFrameNaFunctions. fill() and replace() apply a
 * value only to columns of a matching type family (a number fills numeric columns, a string fills
 * string columns), so one call can clean a whole table without type errors.
 */
import { Column, lit } from "../expr/column.js";
import type { Expr } from "../expr/ir.js";
import { inferLiteralType, type JsValue, literalExpr } from "../expr/literal.js";
import { type DataType, type Field, isNumeric } from "../expr/types.js";
import * as A from "../logical/analyzer.js";
import type { DataFrame } from "./dataframe.js";

type Scalar = number | bigint | string | boolean | Date;

function family(t: DataType): string {
  if (isNumeric(t)) return "number";
  if (t.kind === "date" || t.kind === "timestamp") return "time";
  return t.kind;
}

function sameFamily(value: JsValue, field: Field): boolean {
  return family(inferLiteralType(value)) === family(field.type);
}

function ref(field: Field): Column {
  return new Column(A.columnRef(field));
}

export class NaFunctions {
  constructor(private readonly df: DataFrame) {}

  private fields(subset?: readonly string[]): Field[] {
    if (!subset) return [...this.df.schema.fields];
    return subset.map((name) => A.resolveField(this.df.schema, name).field);
  }

  /** fill(0), fill("unknown", ["city"]), fill({ age: 0, city: "unknown" }). */
  fill(value: Scalar | Readonly<Record<string, Scalar>>, subset?: readonly string[]): DataFrame {
    const pairs: [Field, JsValue][] =
      typeof value === "object" && !(value instanceof Date)
        ? Object.entries(value).map(([name, v]) => {
            const { field } = A.resolveField(this.df.schema, name);
            if (!sameFamily(v, field)) throw new A.AnalysisError(`fill(): column "${name}" is ${field.type.kind} but the value ${String(v)} is not`);
            return [field, v];
          })
        : this.fields(subset).filter((f) => sameFamily(value, f)).map((f) => [f, value]);
    return this.rewrite(pairs.map(([f, v]) => [f, { kind: "Call", fn: "coalesce", args: [A.columnRef(f), castedLiteral(v, f.type)] }]));
  }

  /**
   * Drops rows with nulls (or NaN) in `subset` (default all columns): how "any" (default) drops a
   * row with at least one, "all" only rows that are entirely null; `thresh` keeps rows with at least that many non-null values.
   */
  drop(options: { how?: "any" | "all"; thresh?: number; subset?: readonly string[] } = {}): DataFrame {
    const fields = this.fields(options.subset);
    if (fields.length === 0) return this.df;
    const present = fields.map((f) => {
      const c = ref(f).isNotNull();
      return f.type.kind === "float64" ? c.and(ref(f).isNaN().not()) : c;
    });
    let keep: Column;
    if (options.thresh !== undefined) {
      const count = present.map((p) => new Column({ kind: "Case", branches: [{ when: p.expr, then: literalExpr(1) }], otherwise: literalExpr(0) }));
      keep = count.reduce((a, b) => a.add(b)).ge(options.thresh);
    } else if ((options.how ?? "any") === "all") {
      keep = present.reduce((a, b) => a.or(b));
    } else {
      keep = present.reduce((a, b) => a.and(b));
    }
    return this.df.filter(keep);
  }

  /** replace("N/A", "unknown"), replace([0, -1], null, ["age"]), replace({ "NY": "New York" }). */
  replace(toReplace: Scalar | readonly Scalar[] | Readonly<Record<string, Scalar | null>>, value?: Scalar | null | readonly (Scalar | null)[], subset?: readonly string[]): DataFrame {
    let mapping: [JsValue, JsValue][];
    if (Array.isArray(toReplace)) {
      const olds = toReplace as readonly Scalar[];
      const news = Array.isArray(value) ? (value as readonly (Scalar | null)[]) : olds.map(() => value as Scalar | null);
      if (news.length !== olds.length) throw new A.AnalysisError(`replace(): ${olds.length} values to replace but ${news.length} replacements`);
      mapping = olds.map((o, i) => [o, news[i] ?? null]);
    } else if (typeof toReplace === "object" && !(toReplace instanceof Date)) {
      mapping = Object.entries(toReplace as Record<string, Scalar | null>);
    } else {
      if (value === undefined) throw new A.AnalysisError("replace(old, new): give the replacement value");
      mapping = [[toReplace as Scalar, value as Scalar | null]];
    }
    const targets = this.fields(subset).filter((f) => mapping.some(([o]) => sameFamily(o, f)));
    return this.rewrite(
      targets.map((f) => {
        const branches = mapping
          .filter(([o]) => sameFamily(o, f))
          .map(([o, n]) => ({ when: ref(f).eq(lit(o)).expr, then: castedLiteral(n, f.type) }));
        return [f, { kind: "Case", branches, otherwise: A.columnRef(f) }];
      }),
    );
  }

  private rewrite(changes: readonly [Field, Expr][]): DataFrame {
    if (changes.length === 0) return this.df;
    const replaced = new Map(changes.map(([f, e]) => [f, e]));
    const exprs = this.df.schema.fields.map((f): Expr => {
      const e = replaced.get(f);
      return e ? { kind: "Alias", expr: e, name: f.name } : A.columnRef(f);
    });
    return this.df.select(...exprs.map((e) => new Column(e)));
  }
}

function castedLiteral(value: JsValue, type: DataType): Expr {
  return literalExpr(value, type);
}

