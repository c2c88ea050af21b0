/**
 * Date and timestamp functions. Dates are days since 1970-01-01 (int32), timestamps microseconds
 * since the epoch in UTC (int64). Field extraction loops over the typed arrays without Date objects.
 */
import type { Column } from "../../batch/column.js";
import { allocValues, fixedColumn, literalColumn } from "../kernels/columns.js";
import { civilFromDays, dayOfMicros, dayOfWeek, daysFromCivil, joinMicros, MICROS_PER_SECOND, splitMicros } from "../kernels/datetime.js";
import { compilePattern } from "../kernels/datetime-pattern.js";
import { UserError } from "../kernels/errors.js";
import { StringBuilder, stringsOf, type StringColumn } from "../kernels/strings.js";
import { allNullBitmap, andValidity, isValid } from "../kernels/validity.js";
import { type DataType, Types } from "../types.js";
import type { FunctionDef, FunctionDoc, KernelContext } from "./function-def.js";
import { checkArity, simpleFunction } from "./signature.js";

type IntCol = Column & { values: Int32Array; validity: Uint8Array | undefined };
type BigCol = Column & { values: BigInt64Array; validity: Uint8Array | undefined };

/** date -> int32 field, with a reused [y, m, d] scratch array. */
function dateField(pick: (days: number, ymd: Int32Array) => number) {
  return (args: readonly Column[], ctx: KernelContext): Column => {
    const c = args[0] as IntCol;
    const out = new Int32Array(ctx.length);
    if (c.type.kind === "null") return fixedColumn(Types.int32, out, allNullBitmap(ctx.length));
    const ymd = new Int32Array(3);
    const src = c.values;
    for (let i = 0; i < ctx.length; i++) out[i] = pick(src[i]!, ymd);
    return fixedColumn(Types.int32, out, c.validity);
  };
}

/** timestamp -> int32 field from the microseconds within the day. */
function timeField(pick: (microsOfDay: number) => number) {
  return (args: readonly Column[], ctx: KernelContext): Column => {
    const c = args[0] as BigCol;
    const out = new Int32Array(ctx.length);
    if (c.type.kind === "null") return fixedColumn(Types.int32, out, allNullBitmap(ctx.length));
    const src = c.values;
    const parts = [0, 0];
    for (let i = 0; i < ctx.length; i++) {
      splitMicros(src[i]!, parts);
      out[i] = pick(parts[1]!);
    }
    return fixedColumn(Types.int32, out, c.validity);
  };
}

function strings(c: Column): (string | null)[] {
  return c.type.kind === "null" ? new Array<null>(c.length).fill(null) : stringsOf(c as StringColumn);
}

/** Parses strings with a pattern (2nd argument) into micros, then `convert` (to days or keep). */
function parseWithPattern(type: DataType, convert: (micros: number) => number | bigint) {
  return (args: readonly Column[], ctx: KernelContext): Column => {
    const strs = strings(args[0]!);
    const fmts = strings(args[1]!);
    const vals = new Array<number | bigint | null>(ctx.length);
    for (let i = 0; i < ctx.length; i++) {
      const s = strs[i]; const f = fmts[i];
      if (s == null || f == null) { vals[i] = null; continue; }
      const micros = compilePattern(f).parse(s);
      vals[i] = micros === null ? null : convert(micros);
    }
    return fromValues(type, vals);
  };
}

function fromValues(type: DataType, vals: readonly (number | bigint | null)[]): Column {
  const n = vals.length;
  const out = allocValues(type, n)!;
  const validity = allNullBitmap(n);
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    if (v === null || v === undefined) continue;
    validity[i >> 3]! |= 1 << (i & 7);
    if (out instanceof BigInt64Array) out[i] = typeof v === "bigint" ? v : BigInt(v);
    else out[i] = Number(v);
  }
  return fixedColumn(type, out, validity);
}

/** A function whose parameter list depends on how many arguments it gets (to_date(x) vs to_date(s, fmt)). */
function byArity(name: string, doc: FunctionDoc, variants: Readonly<Record<number, FunctionDef>>, flags: Partial<FunctionDef> = {}): FunctionDef {
  const counts = Object.keys(variants).map(Number);
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  const pick = (n: number): FunctionDef | undefined => variants[n];
  return {
    ...flags,
    name, minArgs: min, maxArgs: max, doc,
    resultType: (argTypes) => pick(argTypes.length)?.resultType(argTypes) ?? checkArity(name, doc.signature, min, max, argTypes.length) ?? `${name}: wrong number of arguments`,
    castArgsTo: (argTypes) => pick(argTypes.length)?.castArgsTo?.(argTypes) ?? argTypes,
    kernel: (args, ctx) => {
      const v = pick(args.length);
      if (!v) throw new UserError(`${name}: wrong number of arguments (${args.length})`);
      return v.kernel(args, ctx);
    },
  };
}

const identity = (args: readonly Column[]): Column => args[0]!;

const TRUNC_UNITS = "year, quarter, month, week, day, hour, minute, second, millisecond, microsecond";

/** Truncates a timestamp to the start of `unit`; Spark's week starts on Monday. */
export function truncateMicros(unit: string, micros: bigint | number): bigint {
  const parts = [0, 0];
  splitMicros(micros, parts);
  const days = parts[0]!;
  const inDay = parts[1]!;
  const ymd = [0, 0, 0];
  const within = (step: number): bigint => joinMicros(days, Math.floor(inDay / step) * step);
  switch (unit.toLowerCase()) {
    case "year": case "yyyy": case "yy":
      civilFromDays(days, ymd); return joinMicros(daysFromCivil(ymd[0]!, 1, 1), 0);
    case "quarter":
      civilFromDays(days, ymd); return joinMicros(daysFromCivil(ymd[0]!, Math.floor((ymd[1]! - 1) / 3) * 3 + 1, 1), 0);
    case "month": case "mon": case "mm":
      civilFromDays(days, ymd); return joinMicros(daysFromCivil(ymd[0]!, ymd[1]!, 1), 0);
    case "week":
      return joinMicros(days - ((dayOfWeek(days) + 5) % 7), 0);
    case "day": case "dd":
      return joinMicros(days, 0);
    case "hour": return within(3_600_000_000);
    case "minute": return within(60_000_000);
    case "second": return within(MICROS_PER_SECOND);
    case "millisecond": return within(1000);
    case "microsecond": return joinMicros(days, inDay);
    default:
      throw new UserError(`date_trunc: unknown unit ${JSON.stringify(unit)}; use one of ${TRUNC_UNITS}`);
  }
}

function dateTruncKernel(args: readonly Column[], ctx: KernelContext): Column {
  const units = strings(args[0]!);
  const ts = args[1] as BigCol;
  const out = new BigInt64Array(ctx.length);
  if (ts.type.kind === "null") return fixedColumn(Types.timestamp, out, allNullBitmap(ctx.length));
  const validity = andValidity(ctx.length, ts.validity, (args[0] as StringColumn).validity);
  for (let i = 0; i < ctx.length; i++) {
    if (!isValid(validity, i)) continue;
    out[i] = truncateMicros(units[i]!, ts.values[i]!);
  }
  return fixedColumn(Types.timestamp, out, validity);
}

/** Two date columns (or a date and an int32 count of days) combined into an int32 or a date. */
function daysArith(resultType: DataType, op: (a: number, b: number) => number) {
  return (args: readonly Column[], ctx: KernelContext): Column => {
    const a = args[0] as IntCol;
    const b = args[1] as IntCol;
    const out = new Int32Array(ctx.length);
    if (a.type.kind === "null" || b.type.kind === "null") return fixedColumn(resultType, out, allNullBitmap(ctx.length));
    for (let i = 0; i < ctx.length; i++) out[i] = op(a.values[i]!, b.values[i]!);
    return fixedColumn(resultType, out, andValidity(ctx.length, a.validity, b.validity));
  };
}

function formatMicros(args: readonly Column[], ctx: KernelContext, toMicros: (v: bigint) => bigint, defaultFormat: string): Column {
  const c = args[0] as BigCol;
  const fmts = args[1] ? strings(args[1]) : undefined;
  const b = new StringBuilder(ctx.length);
  for (let i = 0; i < ctx.length; i++) {
    const f = fmts ? fmts[i] : defaultFormat;
    if (c.type.kind === "null" || !isValid(c.validity, i) || f == null) { b.appendNull(); continue; }
    b.append(compilePattern(f).format(toMicros(c.values[i]!)));
  }
  return b.finish();
}

const secondsOfMicros = (args: readonly Column[], ctx: KernelContext): Column => {
  const c = args[0] as BigCol;
  const out = new BigInt64Array(ctx.length);
  if (c.type.kind === "null") return fixedColumn(Types.int64, out, allNullBitmap(ctx.length));
  const million = 1_000_000n;
  for (let i = 0; i < ctx.length; i++) {
    const v = c.values[i]!;
    // Floor division, so times before 1970 round down like Spark.
    out[i] = v >= 0n ? v / million : -((-v + million - 1n) / million);
  }
  return fixedColumn(Types.int64, out, c.validity);
};

function doc(signature: string, description: string, example: string): FunctionDoc {
  return { signature, description, example };
}

const toDateDoc = doc("to_date(x: string | timestamp | date, format?: string) -> date",
  "Converts to a date. Without a format, strings are read as `yyyy-MM-dd` (a time part is ignored); with a format (Spark pattern letters: yyyy MM dd ...), strings that do not match give null.",
  `F.toDate(col("day"), "dd/MM/yyyy")  // "31/01/2024" -> 2024-01-31`);
const toTimestampDoc = doc("to_timestamp(x: string | date | timestamp, format?: string) -> timestamp",
  "Converts to a timestamp (UTC). Without a format, strings are read as `yyyy-MM-dd[ HH:mm[:ss[.ffffff]]][Z|+hh:mm]`; with a format, non-matching strings give null.",
  `F.toTimestamp(col("ts"), "yyyy-MM-dd HH:mm")`);
const unixTimestampDoc = doc("unix_timestamp(x?: timestamp | string, format?: string) -> int64",
  "Seconds since 1970-01-01 UTC of `x` (strings parsed as to_timestamp does); with no argument, the current time.",
  `F.unixTimestamp(col("ts"))  // 2024-01-01 00:00:00 -> 1704067200`);

export const datetimeFunctions: readonly FunctionDef[] = [
  byArity("to_date", toDateDoc, {
    1: simpleFunction({ name: "to_date", params: ["date"], result: Types.date, doc: toDateDoc, kernel: identity }),
    2: simpleFunction({ name: "to_date", params: ["string", "string"], result: Types.date, doc: toDateDoc,
      kernel: parseWithPattern(Types.date, (m) => dayOfMicros(m)) }),
  }, { perValueOfFirstArg: true }),
  byArity("to_timestamp", toTimestampDoc, {
    1: simpleFunction({ name: "to_timestamp", params: ["timestamp"], result: Types.timestamp, doc: toTimestampDoc, kernel: identity }),
    2: simpleFunction({ name: "to_timestamp", params: ["string", "string"], result: Types.timestamp, doc: toTimestampDoc,
      kernel: parseWithPattern(Types.timestamp, (m) => BigInt(m)) }),
  }, { perValueOfFirstArg: true }),
  simpleFunction({
    name: "date_trunc", params: ["string", "timestamp"], result: Types.timestamp,
    doc: doc("date_trunc(unit: string, ts: timestamp) -> timestamp", `Truncates to the start of the unit (${TRUNC_UNITS}); weeks start on Monday. Null gives null.`,
      `F.dateTrunc("month", col("ts"))  // 2024-05-17 10:30 -> 2024-05-01 00:00:00`),
    kernel: dateTruncKernel,
  }),
  simpleFunction({
    name: "datediff", params: ["date", "date"], result: Types.int32,
    doc: doc("datediff(end: date, start: date) -> int32", "Days from `start` to `end` (negative when end is earlier). Null gives null.", `F.datediff(col("shipped"), col("ordered"))`),
    kernel: daysArith(Types.int32, (a, b) => a - b),
  }),
  simpleFunction({
    name: "date_add", params: ["date", "int32"], result: Types.date,
    doc: doc("date_add(start: date, days: int32) -> date", "The date `days` days after `start`. Null gives null.", `F.dateAdd(col("day"), 7)`),
    kernel: daysArith(Types.date, (a, b) => a + b),
  }),
  simpleFunction({
    name: "date_sub", params: ["date", "int32"], result: Types.date,
    doc: doc("date_sub(start: date, days: int32) -> date", "The date `days` days before `start`. Null gives null.", `F.dateSub(col("day"), 7)`),
    kernel: daysArith(Types.date, (a, b) => a - b),
  }),
  simpleFunction({
    name: "year", params: ["date"], result: Types.int32,
    doc: doc("year(d: date | timestamp) -> int32", "The calendar year. Null gives null.", `F.year(col("day"))  // 2024-05-17 -> 2024`),
    kernel: dateField((d, ymd) => { civilFromDays(d, ymd); return ymd[0]!; }),
  }),
  simpleFunction({
    name: "quarter", params: ["date"], result: Types.int32,
    doc: doc("quarter(d: date | timestamp) -> int32", "The quarter of the year, 1 to 4. Null gives null.", `F.quarter(col("day"))  // 2024-05-17 -> 2`),
    kernel: dateField((d, ymd) => { civilFromDays(d, ymd); return Math.floor((ymd[1]! - 1) / 3) + 1; }),
  }),
  simpleFunction({
    name: "month", params: ["date"], result: Types.int32,
    doc: doc("month(d: date | timestamp) -> int32", "The month, 1 to 12. Null gives null.", `F.month(col("day"))  // 2024-05-17 -> 5`),
    kernel: dateField((d, ymd) => { civilFromDays(d, ymd); return ymd[1]!; }),
  }),
  simpleFunction({
    name: "dayofmonth", params: ["date"], result: Types.int32,
    doc: doc("dayofmonth(d: date | timestamp) -> int32", "The day of the month, 1 to 31. Null gives null.", `F.dayofmonth(col("day"))  // 2024-05-17 -> 17`),
    kernel: dateField((d, ymd) => { civilFromDays(d, ymd); return ymd[2]!; }),
  }),
  simpleFunction({
    name: "dayofweek", params: ["date"], result: Types.int32,
    doc: doc("dayofweek(d: date | timestamp) -> int32", "The day of the week as in Spark: 1 = Sunday, 2 = Monday, ..., 7 = Saturday. Null gives null.", `F.dayofweek(col("day"))  // 2024-05-17 (a Friday) -> 6`),
    kernel: dateField((d) => dayOfWeek(d)),
  }),
  simpleFunction({
    name: "dayofyear", params: ["date"], result: Types.int32,
    doc: doc("dayofyear(d: date | timestamp) -> int32", "The day of the year, 1 to 366. Null gives null.", `F.dayofyear(col("day"))  // 2024-02-01 -> 32`),
    kernel: dateField((d, ymd) => { civilFromDays(d, ymd); return d - daysFromCivil(ymd[0]!, 1, 1) + 1; }),
  }),
  simpleFunction({
    name: "hour", params: ["timestamp"], result: Types.int32,
    doc: doc("hour(ts: timestamp) -> int32", "The hour (0-23, UTC). Null gives null.", `F.hour(col("ts"))  // 2024-05-17 10:30:00 -> 10`),
    kernel: timeField((m) => Math.floor(m / 3_600_000_000)),
  }),
  simpleFunction({
    name: "minute", params: ["timestamp"], result: Types.int32,
    doc: doc("minute(ts: timestamp) -> int32", "The minute (0-59). Null gives null.", `F.minute(col("ts"))  // 10:30:15 -> 30`),
    kernel: timeField((m) => Math.floor(m / 60_000_000) % 60),
  }),
  simpleFunction({
    name: "second", params: ["timestamp"], result: Types.int32,
    doc: doc("second(ts: timestamp) -> int32", "The second (0-59), fraction dropped. Null gives null.", `F.second(col("ts"))  // 10:30:15.5 -> 15`),
    kernel: timeField((m) => Math.floor(m / MICROS_PER_SECOND) % 60),
  }),
  byArity("unix_timestamp", unixTimestampDoc, {
    0: simpleFunction({ name: "unix_timestamp", params: [], result: Types.int64, doc: unixTimestampDoc,
      kernel: (_a, ctx) => literalColumn(BigInt(Math.floor(Date.now() / 1000)), Types.int64, ctx.length) }),
    1: simpleFunction({ name: "unix_timestamp", params: ["timestamp"], result: Types.int64, doc: unixTimestampDoc, kernel: secondsOfMicros }),
    2: simpleFunction({ name: "unix_timestamp", params: ["string", "string"], result: Types.int64, doc: unixTimestampDoc,
      kernel: parseWithPattern(Types.int64, (m) => BigInt(Math.floor(m / MICROS_PER_SECOND))) }),
  }, { deterministic: false }),
  simpleFunction({
    name: "from_unixtime", params: ["int64", "string"], optional: 1, result: Types.string,
    doc: doc("from_unixtime(seconds: int64, format?: string = \"yyyy-MM-dd HH:mm:ss\") -> string", "Formats seconds since the epoch (UTC) with a Spark pattern. Null gives null.",
      `F.fromUnixtime(col("epoch"))  // 0 -> "1970-01-01 00:00:00"`),
    kernel: (args, ctx) => formatMicros(args, ctx, (v) => v * 1_000_000n, "yyyy-MM-dd HH:mm:ss"),
  }),
  simpleFunction({
    name: "date_format", params: ["timestamp", "string"], result: Types.string,
    doc: doc("date_format(ts: timestamp | date, format: string) -> string", "Formats with a Spark pattern (yyyy MM dd HH mm ss SSS EEE MMM a, 'quoted text'). Null gives null.",
      `F.dateFormat(col("ts"), "yyyy-MM")  // "2024-05"`),
    kernel: (args, ctx) => formatMicros(args, ctx, (v) => v, "yyyy-MM-dd HH:mm:ss"),
  }),
  simpleFunction({
    name: "current_date", params: [], result: Types.date, deterministic: false,
    doc: doc("current_date() -> date", "Today's date (UTC) when the batch is evaluated.", `F.currentDate()`),
    kernel: (_a, ctx) => literalColumn(Math.floor(Date.now() / 86_400_000), Types.date, ctx.length),
  }),
  simpleFunction({
    name: "current_timestamp", params: [], result: Types.timestamp, deterministic: false,
    doc: doc("current_timestamp() -> timestamp", "The current time (UTC, millisecond precision) when the batch is evaluated.", `F.currentTimestamp()`),
    kernel: (_a, ctx) => literalColumn(BigInt(Date.now()) * 1000n, Types.timestamp, ctx.length),
  }),
];

