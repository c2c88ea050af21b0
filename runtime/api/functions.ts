/**
 * The `F` namespace, like pyspark.sql.functions, in camelCase (snake_case aliases for the names
 * PySpark users type from memory: `F.row_number`, `F.collect_list`...). Scalar functions build
 * `Call` nodes named as in the function registry (runtime/expr/functions/registry.ts, lowercase
 * snake_case); aggregates build `Agg`, ranking/offset functions build `Ranking` (use with `.over(w)`).
 * A string argument in a column position is a column name; in a value position (patterns,
 * formats, units) it is text.
 */
import type { AggFn, Expr, RankingFn } from "../expr/ir.js";
import { CaseColumn, col, Column, type ColumnLike, lit, toColumnExpr, toExpr, type ValueLike, when } from "../expr/column.js";
import type { JsValue } from "../expr/literal.js";
import { parseSqlExpr } from "../expr/parse-sql.js";
import { udf } from "./udf.js";

const call = (fn: string, ...args: Expr[]): Column => new Column({ kind: "Call", fn, args });
const c = toColumnExpr;
const v = toExpr;

function agg(fn: AggFn, args: readonly Expr[], options: { distinct?: boolean; params?: Record<string, number | boolean> } = {}): Column {
  return new Column({
    kind: "Agg",
    fn,
    args,
    distinct: options.distinct ?? false,
    ...(options.params ? { params: options.params } : {}),
  });
}

function ranking(fn: RankingFn, args: readonly Expr[] = [], params?: Record<string, number>): Column {
  return new Column({ kind: "Ranking", fn, args, ...(params ? { params } : {}) });
}

/** count("*") / count() counts rows; count(col) counts non-null values. */
function count(column?: ColumnLike): Column {
  if (column === undefined || column === "*") return agg("count", []);
  const e = c(column);
  return e.kind === "Star" ? agg("count", []) : agg("count", [e]);
}

/** lag/lead: the value `offset` rows before/after the current row in the window, else `defaultValue` (null). */
function offsetFn(fn: "lag" | "lead", column: ColumnLike, offset: number, defaultValue?: ValueLike): Column {
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`${fn}(): offset must be a non-negative integer, got ${offset}`);
  // Spark's argument order (value, offset, default); params.offset repeats the offset as a number.
  const args = defaultValue === undefined ? [c(column), v(offset)] : [c(column), v(offset), v(defaultValue)];
  return ranking(fn, args, { offset });
}

/**
 * The key countDistinct counts: the column itself, or for several columns one string joining them
 * with U+0000 (a row with any null is not counted, as in Spark), since the aggregate counts one key.
 */
function distinctKey(cols: readonly ColumnLike[]): Expr {
  if (cols.length === 0) throw new RangeError("countDistinct() needs at least one column");
  if (cols.length === 1) return c(cols[0]!);
  const exprs = cols.map(c);
  const anyNull = exprs.map((e) => new Column(e).isNull()).reduce((a, b) => a.or(b));
  const joined = call("concat_ws", v("\u0000"), ...exprs.map((e): Expr => ({ kind: "Cast", expr: e, to: { kind: "string" } })));
  return when(anyNull, null).otherwise(joined).expr;
}

const core = {
  col,
  column: col,
  lit,
  when,
  udf,
  /** A column from SQL text: F.expr("coalesce(amount, 0) * 2"). */
  expr: (text: string): Column => new Column(parseSqlExpr(text)),

  // --- null handling and conditionals ---
  coalesce: (...cols: ColumnLike[]): Column => call("coalesce", ...cols.map(c)),
  nullif: (a: ColumnLike, b: ValueLike): Column => call("nullif", c(a), v(b)),
  greatest: (...cols: ColumnLike[]): Column => call("greatest", ...cols.map(c)),
  least: (...cols: ColumnLike[]): Column => call("least", ...cols.map(c)),
  isnull: (column: ColumnLike): Column => new Column({ kind: "Unary", op: "isNull", expr: c(column) }),
  isnan: (column: ColumnLike): Column => new Column({ kind: "Unary", op: "isNaN", expr: c(column) }),
  /** Column-wise NOT, for symmetry with SQL: F.not(col("active")). */
  not: (column: ColumnLike): Column => new Column({ kind: "Unary", op: "not", expr: c(column) }),

  // --- strings ---
  lower: (column: ColumnLike): Column => call("lower", c(column)),
  upper: (column: ColumnLike): Column => call("upper", c(column)),
  trim: (column: ColumnLike): Column => call("trim", c(column)),
  ltrim: (column: ColumnLike): Column => call("ltrim", c(column)),
  rtrim: (column: ColumnLike): Column => call("rtrim", c(column)),
  /** 1-based start, like Spark. */
  substring: (column: ColumnLike, start: number, length?: number): Column =>
    length === undefined ? call("substring", c(column), v(start)) : call("substring", c(column), v(start), v(length)),
  concat: (...cols: ColumnLike[]): Column => call("concat", ...cols.map(c)),
  concatWs: (separator: string, ...cols: ColumnLike[]): Column => call("concat_ws", v(separator), ...cols.map(c)),
  /** Splits by a regular expression into list<string>. */
  split: (column: ColumnLike, pattern: string): Column => call("split", c(column), v(pattern)),
  length: (column: ColumnLike): Column => call("length", c(column)),
  regexpExtract: (column: ColumnLike, pattern: string, group = 1): Column => call("regexp_extract", c(column), v(pattern), v(group)),
  regexpReplace: (column: ColumnLike, pattern: string, replacement: string): Column =>
    call("regexp_replace", c(column), v(pattern), v(replacement)),
  like: (column: ColumnLike, pattern: string): Column => call("like", c(column), v(pattern)),
  rlike: (column: ColumnLike, pattern: string): Column => call("rlike", c(column), v(pattern)),
  startswith: (column: ColumnLike, prefix: ValueLike): Column => call("startswith", c(column), v(prefix)),
  endswith: (column: ColumnLike, suffix: ValueLike): Column => call("endswith", c(column), v(suffix)),
  contains: (column: ColumnLike, part: ValueLike): Column => call("contains", c(column), v(part)),

  // --- dates and timestamps (timestamps are UTC) ---
  toDate: (column: ColumnLike, format?: string): Column =>
    format === undefined ? call("to_date", c(column)) : call("to_date", c(column), v(format)),
  toTimestamp: (column: ColumnLike, format?: string): Column =>
    format === undefined ? call("to_timestamp", c(column)) : call("to_timestamp", c(column), v(format)),
  /** unit: "year" | "quarter" | "month" | "week" | "day" | "hour" | "minute" | "second". */
  dateTrunc: (unit: string, column: ColumnLike): Column => call("date_trunc", v(unit), c(column)),
  /** Days from `start` to `end`. */
  datediff: (end: ColumnLike, start: ColumnLike): Column => call("datediff", c(end), c(start)),
  dateAdd: (column: ColumnLike, days: ValueLike): Column => call("date_add", c(column), v(days)),
  dateSub: (column: ColumnLike, days: ValueLike): Column => call("date_sub", c(column), v(days)),
  year: (column: ColumnLike): Column => call("year", c(column)),
  month: (column: ColumnLike): Column => call("month", c(column)),
  dayofmonth: (column: ColumnLike): Column => call("dayofmonth", c(column)),
  /** 1 = Sunday ... 7 = Saturday, as Spark. */
  dayofweek: (column: ColumnLike): Column => call("dayofweek", c(column)),
  hour: (column: ColumnLike): Column => call("hour", c(column)),
  minute: (column: ColumnLike): Column => call("minute", c(column)),
  second: (column: ColumnLike): Column => call("second", c(column)),
  /** Seconds since the epoch of a timestamp (or of a string parsed with `format`). */
  unixTimestamp: (column: ColumnLike, format?: string): Column =>
    format === undefined ? call("unix_timestamp", c(column)) : call("unix_timestamp", c(column), v(format)),
  fromUnixtime: (column: ColumnLike, format?: string): Column =>
    format === undefined ? call("from_unixtime", c(column)) : call("from_unixtime", c(column), v(format)),

  // --- math ---
  abs: (column: ColumnLike): Column => call("abs", c(column)),
  /** HALF_UP rounding to `scale` decimals, as Spark. */
  round: (column: ColumnLike, scale = 0): Column => call("round", c(column), v(scale)),
  floor: (column: ColumnLike): Column => call("floor", c(column)),
  ceil: (column: ColumnLike): Column => call("ceil", c(column)),
  /** log(x) is the natural log; log(base, x) with a numeric base. */
  log: (a: ColumnLike | number, b?: ColumnLike): Column =>
    b === undefined ? call("log", c(a as ColumnLike)) : call("log", v(a as number), c(b)),
  log10: (column: ColumnLike): Column => call("log10", c(column)),
  exp: (column: ColumnLike): Column => call("exp", c(column)),
  sqrt: (column: ColumnLike): Column => call("sqrt", c(column)),
  pow: (base: ColumnLike, exponent: ValueLike): Column => call("pow", c(base), v(exponent)),

  // --- aggregates (in groupBy().agg(), select() of a whole table, or .over(window)) ---
  count,
  countDistinct: (...cols: ColumnLike[]): Column => agg("count_distinct", [distinctKey(cols)], { distinct: true }),
  approxCountDistinct: (column: ColumnLike): Column => agg("approx_count_distinct", [c(column)]),
  sum: (column: ColumnLike): Column => agg("sum", [c(column)]),
  sumDistinct: (column: ColumnLike): Column => agg("sum", [c(column)], { distinct: true }),
  avg: (column: ColumnLike): Column => agg("avg", [c(column)]),
  mean: (column: ColumnLike): Column => agg("avg", [c(column)]),
  min: (column: ColumnLike): Column => agg("min", [c(column)]),
  max: (column: ColumnLike): Column => agg("max", [c(column)]),
  first: (column: ColumnLike, ignoreNulls = false): Column => agg("first", [c(column)], ignoreNulls ? { params: { ignoreNulls } } : {}),
  last: (column: ColumnLike, ignoreNulls = false): Column => agg("last", [c(column)], ignoreNulls ? { params: { ignoreNulls } } : {}),
  stddev: (column: ColumnLike): Column => agg("stddev", [c(column)]),
  stddevPop: (column: ColumnLike): Column => agg("stddev_pop", [c(column)]),
  variance: (column: ColumnLike): Column => agg("variance", [c(column)]),
  varPop: (column: ColumnLike): Column => agg("var_pop", [c(column)]),
  /** Pearson correlation of two numeric columns; rows with a null on either side are skipped. */
  corr: (x: ColumnLike, y: ColumnLike): Column => agg("corr", [c(x), c(y)]),
  covarPop: (x: ColumnLike, y: ColumnLike): Column => agg("covar_pop", [c(x), c(y)]),
  covarSamp: (x: ColumnLike, y: ColumnLike): Column => agg("covar_samp", [c(x), c(y)]),
  median: (column: ColumnLike): Column => agg("median", [c(column)]),
  /** Exact percentile, p in [0, 1]. */
  percentile: (column: ColumnLike, p: number): Column => {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile(): p must be between 0 and 1, got ${p}`);
    return agg("percentile", [c(column)], { params: { percentile: p } });
  },
  collectList: (column: ColumnLike): Column => agg("collect_list", [c(column)]),
  collectSet: (column: ColumnLike): Column => agg("collect_set", [c(column)]),

  // --- ranking and offsets (only with .over(window)) ---
  rowNumber: (): Column => ranking("row_number"),
  rank: (): Column => ranking("rank"),
  denseRank: (): Column => ranking("dense_rank"),
  percentRank: (): Column => ranking("percent_rank"),
  cumeDist: (): Column => ranking("cume_dist"),
  ntile: (n: number): Column => ranking("ntile", [], { n }),
  lag: (column: ColumnLike, offset = 1, defaultValue?: ValueLike): Column => offsetFn("lag", column, offset, defaultValue),
  lead: (column: ColumnLike, offset = 1, defaultValue?: ValueLike): Column => offsetFn("lead", column, offset, defaultValue),

  /** Bucketizes with split points: bucket i holds splits[i] <= x < splits[i+1]; outside or null gives null. */
  bucketize: (column: ColumnLike, splits: readonly number[]): Column => {
    if (splits.length < 2) throw new RangeError("bucketize(): give at least two split points");
    const x = new Column(c(column));
    let result: CaseColumn | undefined;
    for (let i = 0; i + 1 < splits.length; i++) {
      const last = i + 2 === splits.length;
      const cond = x.ge(splits[i] as JsValue).and(last ? x.le(splits[i + 1] as JsValue) : x.lt(splits[i + 1] as JsValue));
      result = result ? result.when(cond, i) : when(cond, i);
    }
    return (result as CaseColumn).otherwise(null);
  },
};

/** Snake_case spellings, for habits formed in PySpark. */
const snakeAliases = {
  count_distinct: core.countDistinct,
  approx_count_distinct: core.approxCountDistinct,
  collect_list: core.collectList,
  collect_set: core.collectSet,
  row_number: core.rowNumber,
  dense_rank: core.denseRank,
  percent_rank: core.percentRank,
  cume_dist: core.cumeDist,
  stddev_pop: core.stddevPop,
  var_pop: core.varPop,
  covar_pop: core.covarPop,
  covar_samp: core.covarSamp,
  concat_ws: core.concatWs,
  regexp_extract: core.regexpExtract,
  regexp_replace: core.regexpReplace,
  to_date: core.toDate,
  to_timestamp: core.toTimestamp,
  date_trunc: core.dateTrunc,
  date_add: core.dateAdd,
  date_sub: core.dateSub,
  unix_timestamp: core.unixTimestamp,
  from_unixtime: core.fromUnixtime,
  concatWS: core.concatWs,
};

export const F = { ...core, ...snakeAliases } as const;
export type Functions = typeof F;
