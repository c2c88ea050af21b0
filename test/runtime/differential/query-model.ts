/**
 * Generated queries for the differential suite: one small query model, rendered both as DuckDB
 * SQL (the oracle) and as a Kindling DataFrame program, over generated, null-heavy, duplicated,
 * skewed tables. Deterministic output only: windows order by a unique id, sorts with limits order
 * by every output column, so any correct engine gives the same rows.
 */
import fc from "fast-check";

/** t1(id unique int32, k int32 0..9 skewed, g string, v float64, n int64, d date); t2(k, h, w). */
export type Row1 = { id: number; k: number | null; g: string | null; v: number | null; n: bigint | null; d: number | null };
export type Row2 = { k: number | null; h: string | null; w: number | null };

export type Cmp = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type Pred =
  | { kind: "cmp"; column: string; op: Cmp; value: number | string }
  | { kind: "isNull"; column: string; negated: boolean }
  | { kind: "between"; column: string; low: number; high: number }
  | { kind: "in"; column: string; values: readonly (number | string)[] }
  | { kind: "and" | "or"; left: Pred; right: Pred }
  | { kind: "not"; inner: Pred };

export type AggFn = "count_star" | "count" | "sum" | "avg" | "min" | "max" | "count_distinct" | "median" | "stddev";
export interface Agg { fn: AggFn; column: string }

export type WindowFn =
  | { kind: "row_number" | "rank" | "dense_rank" }
  | { kind: "lag" | "lead"; column: "v" | "k"; offset: number }
  | { kind: "frame"; agg: "sum" | "avg" | "min" | "max" | "count"; column: "v" | "k"; frame: "rows" | "range"; start: number | null; end: number | null };

export type JoinHow = "inner" | "left" | "right" | "full" | "semi" | "anti";

export type Shape =
  | { kind: "select"; columns: readonly string[] }
  | { kind: "aggregate"; keys: readonly string[]; aggs: readonly Agg[] }
  | { kind: "distinct"; columns: readonly string[] }
  | { kind: "window"; partition: readonly string[]; orderByValue: boolean; fn: WindowFn };

export interface Query {
  filter?: Pred;
  join?: JoinHow;
  shape: Shape;
  /** orderBy every output column (asc/desc per column, nulls first/last) then limit. */
  topK?: { limit: number; descending: boolean; nullsFirst: boolean };
}

export interface Case {
  query: Query;
  t1: Row1[];
  t2: Row2[];
}

const T1_NUMERIC = ["id", "k", "v", "n", "d"] as const;
const T2_COLUMNS = ["h", "w"] as const;

/** Columns visible after the optional join (USING k keeps one k). */
export function columnsAfterJoin(join: JoinHow | undefined): string[] {
  const base = ["id", "k", "g", "v", "n", "d"];
  return join && join !== "semi" && join !== "anti" ? [...base, ...T2_COLUMNS] : base;
}

const strings = ["a", "b", "c", "é", "Zed", ""];

const row1 = (id: number): fc.Arbitrary<Row1> =>
  fc.record({
    id: fc.constant(id),
    // Skewed keys: key 0 is frequent, nulls common.
    k: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: fc.integer({ min: 0, max: 9 }) }, { weight: 2, arbitrary: fc.constant(null) }),
    g: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...strings) }, { weight: 1, arbitrary: fc.constant(null) }),
    v: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -50, max: 50 }).map((x) => x / 4) }, { weight: 1, arbitrary: fc.constant(null) }),
    n: fc.oneof({ weight: 4, arbitrary: fc.bigInt({ min: -(2n ** 55n), max: 2n ** 55n }) }, { weight: 1, arbitrary: fc.constant(null) }),
    d: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 19000, max: 19030 }) }, { weight: 1, arbitrary: fc.constant(null) }),
  });

const table1 = fc.integer({ min: 0, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => row1(i + 1))));

const table2 = fc.array(
  fc.record({
    k: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 12 }) }, { weight: 1, arbitrary: fc.constant(null) }),
    h: fc.oneof(fc.constantFrom("x", "y", "zz"), fc.constant(null)),
    w: fc.oneof(fc.integer({ min: 0, max: 20 }).map((x) => x / 2), fc.constant(null)),
  }),
  { maxLength: 15 },
);

function predArb(columns: readonly string[]): fc.Arbitrary<Pred> {
  const numeric = columns.filter((c) => ["id", "k", "v", "w"].includes(c));
  const leaf: fc.Arbitrary<Pred> = fc.oneof(
    fc.record({ kind: fc.constant("cmp" as const), column: fc.constantFrom(...numeric), op: fc.constantFrom<Cmp>("=", "!=", "<", "<=", ">", ">="), value: fc.integer({ min: -5, max: 12 }) }),
    fc.record({ kind: fc.constant("cmp" as const), column: fc.constant("g"), op: fc.constantFrom<Cmp>("=", "!=", "<", ">="), value: fc.constantFrom(...strings) }),
    fc.record({ kind: fc.constant("isNull" as const), column: fc.constantFrom(...columns), negated: fc.boolean() }),
    fc.record({ kind: fc.constant("between" as const), column: fc.constantFrom(...numeric), low: fc.integer({ min: -5, max: 5 }), high: fc.integer({ min: 0, max: 12 }) }),
    fc.record({ kind: fc.constant("in" as const), column: fc.constant("k"), values: fc.uniqueArray(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 4 }) }),
  );
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("and" as const, "or" as const), left: leaf, right: leaf }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("not" as const), inner: leaf }) },
  );
}

function shapeArb(columns: readonly string[]): fc.Arbitrary<Shape> {
  const keyColumns = columns.filter((c) => c !== "v" && c !== "w" && c !== "id");
  const aggColumns = columns.filter((c) => ["k", "v", "n", "w", "id"].includes(c));
  const agg: fc.Arbitrary<Agg> = fc.oneof(
    fc.record({ fn: fc.constantFrom<AggFn>("count", "sum", "avg", "min", "max", "count_distinct", "median", "stddev"), column: fc.constantFrom(...aggColumns) }),
    fc.record({ fn: fc.constant<AggFn>("min"), column: fc.constantFrom("g", "d") }),
    fc.record({ fn: fc.constant<AggFn>("count_star"), column: fc.constant("*") }),
  );
  const frameBound = fc.option(fc.integer({ min: -3, max: 3 }), { nil: null });
  const windowFn: fc.Arbitrary<WindowFn> = fc.oneof(
    fc.record({ kind: fc.constantFrom("row_number" as const, "rank" as const, "dense_rank" as const) }),
    fc.record({ kind: fc.constantFrom("lag" as const, "lead" as const), column: fc.constantFrom("v" as const, "k" as const), offset: fc.integer({ min: 1, max: 2 }) }),
    fc
      .record({ kind: fc.constant("frame" as const), agg: fc.constantFrom("sum" as const, "avg" as const, "min" as const, "max" as const, "count" as const), column: fc.constantFrom("v" as const, "k" as const), frame: fc.constantFrom("rows" as const, "range" as const), start: frameBound, end: frameBound })
      .map((f) => (f.start !== null && f.end !== null && f.start > f.end ? { ...f, start: f.end, end: f.start } : f)),
  );
  return fc.oneof(
    fc.record({ kind: fc.constant("select" as const), columns: fc.shuffledSubarray([...columns], { minLength: 1 }) }),
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("aggregate" as const), keys: fc.shuffledSubarray(keyColumns, { maxLength: 2 }), aggs: fc.array(agg, { minLength: 1, maxLength: 3 }) }) },
    fc.record({ kind: fc.constant("distinct" as const), columns: fc.shuffledSubarray(keyColumns, { minLength: 1, maxLength: 3 }) }),
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("window" as const), partition: fc.shuffledSubarray(["k", "g"], { maxLength: 1 }), orderByValue: fc.boolean(), fn: windowFn }) },
  );
}

export const queryArb: fc.Arbitrary<Query> = fc
  .option(fc.constantFrom<JoinHow>("inner", "left", "right", "full", "semi", "anti"), { nil: undefined, freq: 2 })
  .chain((join) => {
    const columns = columnsAfterJoin(join);
    return fc.record(
      {
        join: fc.constant(join),
        filter: fc.option(predArb(columns), { nil: undefined }),
        shape: shapeArb(columns),
        topK: fc.option(fc.record({ limit: fc.integer({ min: 0, max: 8 }), descending: fc.boolean(), nullsFirst: fc.boolean() }), { nil: undefined, freq: 3 }),
      },
      { requiredKeys: ["shape"] },
    );
  })
  .map((q) => {
    // Windows in rows frames / row_number need a total order: with a join, id repeats, so order by id only without joins.
    if (q.shape.kind === "window" && q.join && q.join !== "semi" && q.join !== "anti") return { ...q, join: undefined, filter: undefined };
    return q;
  })
  // Shrinking can drop the join while keeping a filter on a joined column: keep only valid queries.
  .filter((q) => referencedColumns(q).every((c) => columnsAfterJoin(q.join).includes(c)));

function predColumns(p: Pred): string[] {
  switch (p.kind) {
    case "and":
    case "or":
      return [...predColumns(p.left), ...predColumns(p.right)];
    case "not":
      return predColumns(p.inner);
    default:
      return [p.column];
  }
}

function referencedColumns(q: Query): string[] {
  const fromFilter = q.filter ? predColumns(q.filter) : [];
  const shape = q.shape;
  switch (shape.kind) {
    case "select":
    case "distinct":
      return [...fromFilter, ...shape.columns];
    case "aggregate":
      return [...fromFilter, ...shape.keys, ...shape.aggs.map((a) => a.column).filter((c) => c !== "*")];
    case "window":
      return [...fromFilter, ...shape.partition, "id", "k", "g", "v"];
  }
}

export const caseArb: fc.Arbitrary<Case> = fc.record({ query: queryArb, t1: table1, t2: table2 });

/** Output column names of a query, in order. */
export function outputColumns(query: Query): string[] {
  const shape = query.shape;
  switch (shape.kind) {
    case "select":
    case "distinct":
      return [...shape.columns];
    case "aggregate":
      return [...shape.keys, ...shape.aggs.map((_, i) => `a${i}`)];
    case "window":
      return ["id", "k", "g", "v", "w0"];
  }
}

export { T1_NUMERIC };
