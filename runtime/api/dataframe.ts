/**
 * DataFrame: an immutable, lazily evaluated table. Transformations are synchronous: each analyzes
 * its arguments against the current schema right away (so a wrong column fails on the line that
 * names it) and returns a new DataFrame over a bigger logical plan. Actions (collect, count, show,
 * toArrow...) are async: they optimize, plan and run the plan on the session's worker pool.
 */
import type { Table } from "apache-arrow";
import { batchesToArrow } from "../batch/arrow.js";
import { col, Column, type ColumnLike, toColumnExpr, toSortOrder } from "../expr/column.js";
import type { Expr } from "../expr/ir.js";
import { parseSqlExpr } from "../expr/parse-sql.js";
import { type DataType, type Schema, typeToString } from "../expr/types.js";
import * as A from "../logical/analyzer.js";
import type { JoinHint, JoinType, LogicalPlan } from "../logical/plan.js";
import { logicalPlanToString } from "../logical/tree-string.js";
import type { JobMetrics } from "../metrics/events.js";
import { lazyFrameHtml, lazyFrameText } from "../render/preview-plan.js";
import { JUPYTER_DISPLAY, PreviewTable, type Row } from "../render/preview.js";
import type { ExplainMode } from "./backend.js";
import { describeFrame } from "./describe.js";
import { GroupedData } from "./grouped-data.js";
import { NaFunctions } from "./na-functions.js";
import { batchesToRowObjects } from "./rows.js";
import { publishBundle } from "./publish.js";
import { explainText, runPlan } from "./run.js";
import type { Session } from "./session.js";

/** `c.amount` is `col("amount")`: the column accessor passed to filter/select callbacks. */
export type Cols = Readonly<Record<string, Column>>;
type ColumnArgs = readonly (ColumnLike | readonly ColumnLike[])[];

export interface JoinOptions {
  /** Column name(s) present on both sides (one output column each), or a boolean condition. */
  readonly on?: string | readonly string[] | Column;
  /** Keys named differently on each side (pairwise with rightOn); both columns stay in the output. */
  readonly leftOn?: ColumnLike | readonly ColumnLike[];
  readonly rightOn?: ColumnLike | readonly ColumnLike[];
  readonly how?: JoinType | "outer" | "full_outer" | "left_outer" | "right_outer" | "left_semi" | "left_anti";
  readonly hint?: JoinHint;
}

const HOW_ALIASES: Readonly<Record<string, JoinType>> = {
  outer: "full", full_outer: "full", fullouter: "full", left_outer: "left", leftouter: "left", right_outer: "right",
  rightouter: "right", left_semi: "semi", leftsemi: "semi", left_anti: "anti", leftanti: "anti",
};

const colsProxy: Cols = new Proxy({}, { get: (_t, name) => (typeof name === "string" ? col(name) : undefined) }) as Cols;

function flat(cols: ColumnArgs): ColumnLike[] {
  return cols.flatMap((c) => (Array.isArray(c) ? (c as readonly ColumnLike[]) : [c as ColumnLike]));
}

function keyPairs(leftOn: JoinOptions["leftOn"], rightOn: JoinOptions["rightOn"]): { left: Expr; right: Expr }[] {
  const l = leftOn === undefined ? [] : flat([leftOn]);
  const r = rightOn === undefined ? [] : flat([rightOn]);
  if (l.length === 0 || l.length !== r.length) {
    throw new A.AnalysisError(`join(): leftOn and rightOn must name the same number of keys (got ${l.length} and ${r.length})`);
  }
  return l.map((x, i) => ({ left: toColumnExpr(x), right: toColumnExpr(r[i]!) }));
}

export class DataFrame {
  private lastJob: JobMetrics | undefined;

  constructor(readonly session: Session, readonly plan: LogicalPlan, private readonly joinHint?: JoinHint) {}

  private next(plan: LogicalPlan): DataFrame {
    return new DataFrame(this.session, plan);
  }

  /** A DataFrame over an already analyzed plan in the same session (for helpers building plans). */
  withPlan(plan: LogicalPlan): DataFrame {
    return new DataFrame(this.session, plan);
  }

  // ---- schema ----
  get schema(): Schema { return this.plan.schema; }
  get columns(): string[] { return this.plan.schema.fields.map((f) => f.name); }
  get dtypes(): [string, string][] { return this.plan.schema.fields.map((f) => [f.name, typeToString(f.type)]); }
  /** The type of one column. */
  typeOf(name: string): DataType { return A.resolveField(this.schema, name).field.type; }
  printSchema(): void { console.log(this.schemaString()); }
  schemaString(): string {
    return ["root", ...this.schema.fields.map((f) => ` |-- ${f.name}: ${typeToString(f.type)} (nullable = ${f.nullable})`)].join("\n");
  }
  /** `df.col("o.id")`: a column of this DataFrame, checked now. */
  col(name: string): Column {
    const { field } = A.resolveField(this.schema, name);
    return new Column(A.columnRef(field));
  }

  // ---- projections ----
  select(...cols: ColumnArgs | [(c: Cols) => ColumnLike | readonly ColumnLike[]]): DataFrame {
    const first = cols[0];
    const list = typeof first === "function" ? [first(colsProxy)].flat() : flat(cols as ColumnArgs);
    return this.next(A.buildProject(this.plan, list.map(toColumnExpr)));
  }
  withColumn(name: string, value: Column): DataFrame {
    return this.withColumns({ [name]: value });
  }
  /** Adds or replaces several columns at once (replaced columns keep their position). */
  withColumns(columns: Readonly<Record<string, Column>>): DataFrame {
    const fields = this.schema.fields;
    const exprs: Expr[] = fields.map((f) => A.columnRef(f));
    for (const [name, value] of Object.entries(columns)) {
      const e: Expr = { kind: "Alias", expr: value.expr.kind === "Alias" ? value.expr.expr : value.expr, name };
      const at = fields.findIndex((f) => f.name === name);
      if (at >= 0) exprs[at] = e;
      else exprs.push(e);
    }
    return this.next(A.buildProject(this.plan, exprs, "withColumn"));
  }
  withColumnRenamed(existing: string, renamed: string): DataFrame {
    return this.withColumnsRenamed({ [existing]: renamed });
  }
  withColumnsRenamed(renames: Readonly<Record<string, string>>): DataFrame {
    const targets = new Map(Object.entries(renames).map(([from, to]) => [A.resolveField(this.schema, from).index, to]));
    const exprs = this.schema.fields.map((f, i): Expr => {
      const to = targets.get(i);
      return to === undefined ? A.columnRef(f) : { kind: "Alias", expr: A.columnRef(f), name: to };
    });
    return this.next(A.buildProject(this.plan, exprs, "withColumnRenamed"));
  }
  /** Removes columns (by name or col()); naming a column that does not exist is an error with a suggestion. */
  drop(...cols: ColumnArgs): DataFrame {
    const drop = new Set(flat(cols).map((c) => {
      const e = toColumnExpr(c);
      if (e.kind !== "Column") throw new A.AnalysisError("drop() takes column names or col(...) references");
      return A.resolveField(this.schema, e.name, e.qualifier).index;
    }));
    const keep = this.schema.fields.filter((_f, i) => !drop.has(i));
    if (keep.length === 0) throw new A.AnalysisError("drop() would remove every column; keep at least one");
    return this.next(A.buildProject(this.plan, keep.map(A.columnRef), "drop"));
  }

  // ---- filters and row operations ----
  /** filter(col("a").gt(1)), filter((c) => c.a.gt(1)) or SQL text: filter("a > 1 AND b IS NOT NULL"). */
  filter(condition: Column | string | ((c: Cols) => Column)): DataFrame {
    const e = typeof condition === "string" ? parseSqlExpr(condition) : (typeof condition === "function" ? condition(colsProxy) : condition).expr;
    return this.next(A.buildFilter(this.plan, e));
  }
  where(condition: Column | string | ((c: Cols) => Column)): DataFrame { return this.filter(condition); }
  /** select with SQL text per column: selectExpr("user_id", "amount * 2 AS double", "upper(name) AS name"). */
  selectExpr(...exprs: string[]): DataFrame {
    return this.next(A.buildProject(this.plan, exprs.map(parseSqlExpr), "selectExpr"));
  }
  distinct(): DataFrame { return this.next(A.buildDistinct(this.plan)); }
  /** Keeps the first row for each combination of `subset` (all columns when omitted). */
  dropDuplicates(subset?: readonly string[]): DataFrame { return this.next(A.buildDistinct(this.plan, subset)); }
  orderBy(...cols: ColumnArgs): DataFrame { return this.next(A.buildSort(this.plan, flat(cols).map(toSortOrder))); }
  sort(...cols: ColumnArgs): DataFrame { return this.orderBy(...cols); }
  limit(n: number): DataFrame { return this.next(A.buildLimit(this.plan, n)); }
  offset(n: number): DataFrame { return this.next(A.buildLimit(this.plan, Number.MAX_SAFE_INTEGER, n)); }
  /** sample(0.1), sample(0.1, 42), or sample({ fraction, seed, withReplacement }). */
  sample(fraction: number | { fraction: number; seed?: number; withReplacement?: boolean }, seed?: number): DataFrame {
    const o = typeof fraction === "number" ? { fraction, seed } : fraction;
    return this.next(A.buildSample(this.plan, o.fraction, o.withReplacement ?? false, o.seed ?? Math.floor(Math.random() * 2 ** 31)));
  }
  get na(): NaFunctions { return new NaFunctions(this); }
  fillna(value: Parameters<NaFunctions["fill"]>[0], subset?: readonly string[]): DataFrame { return this.na.fill(value, subset); }
  dropna(options?: Parameters<NaFunctions["drop"]>[0]): DataFrame { return this.na.drop(options); }
  replace(toReplace: Parameters<NaFunctions["replace"]>[0], value?: Parameters<NaFunctions["replace"]>[1], subset?: readonly string[]): DataFrame {
    return this.na.replace(toReplace, value, subset);
  }

  // ---- combining ----
  /** join(other, "k"), join(other, ["k1","k2"], "left"), join(other, { on, how }), join(o, col("a.x").eq(col("b.y"))). */
  join(other: DataFrame, on?: string | readonly string[] | Column | JoinOptions, how?: JoinOptions["how"]): DataFrame {
    const opts: JoinOptions = on === undefined || typeof on === "string" || Array.isArray(on) || on instanceof Column
      ? { ...(on !== undefined ? { on: on as string | readonly string[] | Column } : {}), ...(how ? { how } : {}) }
      : (on as JoinOptions);
    const rawHow = opts.how ?? (opts.on === undefined ? "cross" : "inner");
    const joinType = HOW_ALIASES[rawHow] ?? (rawHow as JoinType);
    const valid: readonly string[] = ["inner", "left", "right", "full", "semi", "anti", "cross"];
    if (!valid.includes(joinType)) throw new A.AnalysisError(`Unknown join type "${rawHow}"; use one of ${valid.join(", ")}`);
    const key = opts.on;
    const spec: A.JoinSpec = {
      how: joinType,
      ...(key === undefined ? {} : { on: key instanceof Column ? key.expr : typeof key === "string" ? [key] : (key as readonly string[]) }),
      ...(opts.leftOn !== undefined || opts.rightOn !== undefined ? { keys: keyPairs(opts.leftOn, opts.rightOn) } : {}),
      ...(opts.hint ?? other.joinHint ?? this.joinHint ? { hint: (opts.hint ?? other.joinHint ?? this.joinHint)! } : {}),
    };
    return this.next(A.buildJoin(this.plan, other.plan, spec));
  }
  crossJoin(other: DataFrame): DataFrame { return this.join(other, { how: "cross" }); }
  /** Marks this DataFrame for a join strategy: `big.join(small.hint("broadcast"), "k")`. */
  hint(name: JoinHint): DataFrame { return new DataFrame(this.session, this.plan, name); }
  /** Rows of both, matched by position (types widened to a common type). */
  union(other: DataFrame): DataFrame { return this.next(A.buildUnion([this.plan, other.plan], false)); }
  unionAll(other: DataFrame): DataFrame { return this.union(other); }
  unionByName(other: DataFrame, options: { allowMissingColumns?: boolean } = {}): DataFrame {
    return this.next(A.buildUnion([this.plan, other.plan], true, options.allowMissingColumns ?? false));
  }

  // ---- aggregation ----
  groupBy(...cols: ColumnArgs): GroupedData { return new GroupedData(this, flat(cols).map(toColumnExpr)); }
  groupby(...cols: ColumnArgs): GroupedData { return this.groupBy(...cols); }
  /** Aggregates over the whole DataFrame: df.agg(F.max("amount")). */
  agg(...aggs: readonly (Column | readonly Column[])[]): DataFrame { return this.groupBy().agg(...aggs); }

  /** Spark's describe(): count, mean, stddev, min, max per column as strings (see describe.ts). */
  describe(...cols: string[]): DataFrame { return describeFrame(this, cols); }

  // ---- partitioning and caching ----
  /** repartition(8) round-robin, or repartition(8, "user_id") by hash of the keys. */
  repartition(n: number, ...cols: ColumnArgs): DataFrame {
    return this.next(A.buildRepartition(this.plan, n, flat(cols).map(toColumnExpr)));
  }
  repartitionByRange(n: number, ...cols: ColumnArgs): DataFrame {
    return this.next(A.buildRangeRepartition(this.plan, n, flat(cols).map(toSortOrder)));
  }
  /** Fewer partitions without a shuffle. */
  coalesce(n: number): DataFrame { return this.next(A.buildCoalesce(this.plan, n)); }
  /** Keeps the computed partitions after the first action; later actions read them. */
  cache(): DataFrame { return this.persist("memory"); }
  persist(level: "memory" | "memory_and_disk" = "memory"): DataFrame {
    if (this.plan.kind === "Cache") return this;
    return this.next(A.buildCache(this.plan, this.session.newCacheId(), level));
  }
  /** Frees the cached partitions (the plan stays valid and recomputes on the next action). */
  async unpersist(): Promise<DataFrame> {
    if (this.plan.kind === "Cache") await this.session.dropCache(this.plan.id);
    return this;
  }
  /** Names this DataFrame so its columns can be qualified: a.alias("o") then col("o.id"). */
  alias(name: string): DataFrame { return this.next(A.buildSubqueryAlias(this.plan, name)); }
  createOrReplaceTempView(name: string): void { this.session.registerView(name, this.plan); }
  /** `df.pipe(addFeatures)`: applies a function, for readable pipelines. */
  pipe<T>(fn: (df: DataFrame) => T): T { return fn(this); }

  // ---- explain ----
  explainString(mode: ExplainMode = "simple"): string { return explainText(this.session, this.plan, mode); }
  explain(mode: ExplainMode | { mode: ExplainMode } = "simple"): void {
    console.log(this.explainString(typeof mode === "string" ? mode : mode.mode));
  }

  // ---- actions ----
  /**
   * All rows as objects. int64 values are numbers when within 2^53, bigint beyond; dates and
   * timestamps are Dates (UTC). Duplicate column names are keyed by qualified name (`o.id`).
   * `collect<{ id: number }>()` asserts a row type for convenience; it is not checked.
   */
  async collect<T extends Row = Row>(): Promise<T[]> {
    const result = await this.run("collect");
    return batchesToRowObjects(result.batches, this.schema) as T[];
  }
  async toArrow(): Promise<Table> {
    const result = await this.run("toArrow");
    return batchesToArrow(result.batches, result.schema);
  }
  async count(): Promise<number> {
    const counted = A.buildAggregate(this.plan, [], [{ kind: "Alias", expr: { kind: "Agg", fn: "count", args: [], distinct: false }, name: "count" }]);
    const rows = batchesToRowObjects((await this.run("count", counted)).batches, counted.schema);
    return Number(rows[0]?.["count"] ?? 0);
  }
  async take<T extends Row = Row>(n: number): Promise<T[]> { return this.limit(n).collect<T>(); }
  async head<T extends Row = Row>(n = 1): Promise<T[]> { return this.take<T>(n); }
  async first<T extends Row = Row>(): Promise<T | undefined> { return (await this.take<T>(1))[0]; }
  /** The first rows as a PreviewTable (renders as HTML in a notebook), without printing. */
  async preview(n = 20, truncate: boolean | number = true): Promise<PreviewTable> {
    const rows = batchesToRowObjects((await this.run("show", A.buildLimit(this.plan, n + 1))).batches, this.schema);
    return new PreviewTable(this.schema, rows.slice(0, n), rows.length > n, truncate);
  }
  /**
   * Shows the first `n` rows: in a notebook as an HTML table (with Spark's text table as the
   * plain-text form), in a script printed as Spark's text table. Resolves to nothing, so a cell
   * ending in `await df.show()` does not render the table twice.
   */
  async show(n = 20, truncate: boolean | number = true, vertical = false): Promise<void> {
    const table = await this.preview(n, truncate);
    const text = vertical ? table.toVerticalString() : table.toString();
    if (!publishBundle({ "text/plain": text, "text/html": table.toHtml() })) console.log(text);
  }
  /** Metrics of the last action run on this DataFrame (stages, tasks, shuffle bytes). */
  lastRun(): JobMetrics | undefined { return this.lastJob; }

  private async run(action: string, plan: LogicalPlan = this.plan) {
    const result = await runPlan(this.session, plan, action);
    this.lastJob = result.metrics;
    return result;
  }

  // ---- display ----
  toString(): string { return lazyFrameText(this.schema, logicalPlanToString(this.plan)); }
  [JUPYTER_DISPLAY](): Record<string, string> {
    const planText = logicalPlanToString(this.plan);
    return { "text/plain": lazyFrameText(this.schema, planText), "text/html": lazyFrameHtml(this.schema, planText) };
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
}
