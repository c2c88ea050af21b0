/**
 * Calendar arithmetic on dates: month arithmetic that clamps to the month's end, the last day of
 * a month, and the ISO week number. Typed-array loops over days since 1970-01-01.
 */
import type { Column } from "../../batch/column.js";
import { fixedColumn } from "../kernels/columns.js";
import { civilFromDays, dayOfWeek, daysFromCivil, daysInMonth } from "../kernels/datetime.js";
import { allNullBitmap, andValidity } from "../kernels/validity.js";
import { type DataType, Types } from "../types.js";
import type { FunctionDef, FunctionDoc, KernelContext } from "./function-def.js";
import { simpleFunction } from "./signature.js";

type IntCol = Column & { values: Int32Array; validity: Uint8Array | undefined };

function doc(signature: string, description: string, example: string): FunctionDoc {
  return { signature, description, example };
}

/** Days of the date `months` months after `days`, clamped to the last day of the target month. */
export function addMonths(days: number, months: number, ymd: Int32Array): number {
  civilFromDays(days, ymd);
  const total = ymd[0]! * 12 + (ymd[1]! - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  return daysFromCivil(y, m, Math.min(ymd[2]!, daysInMonth(y, m)));
}

/** ISO-8601 week of the year (weeks start Monday; week 1 holds the year's first Thursday). */
export function isoWeek(days: number, ymd: Int32Array): number {
  const mondayBased = (dayOfWeek(days) + 5) % 7; // 0 = Monday
  const thursday = days - mondayBased + 3;
  civilFromDays(thursday, ymd);
  const jan1 = daysFromCivil(ymd[0]!, 1, 1);
  return Math.floor((thursday - jan1) / 7) + 1;
}

function dateToInt(type: DataType, pick: (days: number, ymd: Int32Array) => number) {
  return (args: readonly Column[], ctx: KernelContext): Column => {
    const c = args[0] as IntCol;
    const out = new Int32Array(ctx.length);
    if (c.type.kind === "null") return fixedColumn(type, out, allNullBitmap(ctx.length));
    const ymd = new Int32Array(3);
    for (let i = 0; i < ctx.length; i++) out[i] = pick(c.values[i]!, ymd);
    return fixedColumn(type, out, c.validity);
  };
}

function addMonthsKernel(args: readonly Column[], ctx: KernelContext): Column {
  const d = args[0] as IntCol;
  const n = args[1] as IntCol;
  const out = new Int32Array(ctx.length);
  if (d.type.kind === "null" || n.type.kind === "null") return fixedColumn(Types.date, out, allNullBitmap(ctx.length));
  const ymd = new Int32Array(3);
  for (let i = 0; i < ctx.length; i++) out[i] = addMonths(d.values[i]!, n.values[i]!, ymd);
  return fixedColumn(Types.date, out, andValidity(ctx.length, d.validity, n.validity));
}

export const calendarFunctions: readonly FunctionDef[] = [
  simpleFunction({
    name: "add_months", params: ["date", "int32"], result: Types.date,
    doc: doc("add_months(start: date, months: int32) -> date", "The date `months` months later (negative: earlier), clamped to the end of a shorter month. Null gives null.",
      `F.addMonths(col("day"), 1)  // 2024-01-31 -> 2024-02-29`),
    kernel: addMonthsKernel,
  }),
  simpleFunction({
    name: "last_day", params: ["date"], result: Types.date,
    doc: doc("last_day(d: date) -> date", "The last day of the month of `d`. Null gives null.", `F.lastDay(col("day"))  // 2024-02-10 -> 2024-02-29`),
    kernel: dateToInt(Types.date, (d, ymd) => { civilFromDays(d, ymd); return daysFromCivil(ymd[0]!, ymd[1]!, daysInMonth(ymd[0]!, ymd[1]!)); }),
  }),
  simpleFunction({
    name: "weekofyear", params: ["date"], result: Types.int32,
    doc: doc("weekofyear(d: date | timestamp) -> int32", "ISO-8601 week number (weeks start on Monday; week 1 contains January 4th). Null gives null.",
      `F.weekofyear(col("day"))  // 2024-01-01 -> 1, 2021-01-03 -> 53`),
    kernel: dateToInt(Types.int32, isoWeek),
  }),
];
