/**
 * Window specifications, as in Spark: `Window.partitionBy("user_id").orderBy("day").rowsBetween(-6, Window.currentRow)`.
 * Immutable: each method returns a new spec. Frame offsets are numbers: rows for rowsBetween; for
 * rangeBetween, the distance in the order key's unit (days for a date, microseconds for a
 * timestamp, the value itself for numbers), negative = preceding. Over a timestamp, write
 * rangeBetween(-7 * Window.day, Window.currentRow) for "the last 7 days".
 */
import type { FrameBound, SortOrder, WindowFrame, WindowSpec } from "../expr/ir.js";
import { type ColumnLike, toColumnExpr, toSortOrder, type WindowSpecSource } from "../expr/column.js";

/** Sentinels for frame bounds, as Spark's Window.unboundedPreceding etc. */
const UNBOUNDED_PRECEDING = Number.NEGATIVE_INFINITY;
const UNBOUNDED_FOLLOWING = Number.POSITIVE_INFINITY;
const CURRENT_ROW = 0;

function toBound(value: number): FrameBound {
  if (value === UNBOUNDED_PRECEDING) return { kind: "unboundedPreceding" };
  if (value === UNBOUNDED_FOLLOWING) return { kind: "unboundedFollowing" };
  if (value === CURRENT_ROW) return { kind: "currentRow" };
  if (!Number.isFinite(value)) throw new RangeError(`Window frame bound ${value} is not a number`);
  return { kind: "offset", value };
}

export class WindowSpecBuilder implements WindowSpecSource {
  constructor(
    private readonly partitions: readonly ColumnLike[] = [],
    private readonly orders: readonly ColumnLike[] = [],
    private readonly frame?: WindowFrame,
    /** The range frame was given as interval text (offsets in microseconds). */
    private readonly intervalFrame = false,
  ) {}

  partitionBy(...cols: readonly (ColumnLike | readonly ColumnLike[])[]): WindowSpecBuilder {
    return new WindowSpecBuilder(flatten(cols), this.orders, this.frame, this.intervalFrame);
  }
  orderBy(...cols: readonly (ColumnLike | readonly ColumnLike[])[]): WindowSpecBuilder {
    return new WindowSpecBuilder(this.partitions, flatten(cols), this.frame, this.intervalFrame);
  }
  /** Frame by row count: rowsBetween(-6, Window.currentRow) is the current row and six before it. */
  rowsBetween(start: number, end: number): WindowSpecBuilder {
    return new WindowSpecBuilder(this.partitions, this.orders, makeFrame("rows", start, end));
  }
  /**
   * Frame by order-key value: over a date, rangeBetween(-6, 0) is the last 7 days including today.
   * Intervals as text work over a date or timestamp key: rangeBetween("-7 days", 0), ("-90 minutes", "0 seconds").
   */
  rangeBetween(start: number | string, end: number | string): WindowSpecBuilder {
    const timed = typeof start === "string" || typeof end === "string";
    const frame = makeFrame("range", timed ? intervalMicros(start) : (start as number), timed ? intervalMicros(end) : (end as number));
    return new WindowSpecBuilder(this.partitions, this.orders, frame, timed);
  }
  toSpec(): WindowSpec {
    const orderBy = this.orders.map((o): SortOrder => toSortOrder(o));
    const spec: WindowSpec = {
      partitionBy: this.partitions.map(toColumnExpr),
      // Interval offsets are microseconds, so the order key is compared as a timestamp (a date widens exactly).
      orderBy: this.intervalFrame ? orderBy.map((o) => ({ ...o, expr: { kind: "Cast", expr: o.expr, to: { kind: "timestamp" } } })) : orderBy,
    };
    return this.frame ? { ...spec, frame: this.frame } : spec;
  }
}

const UNIT_MICROS: Readonly<Record<string, number>> = {
  microsecond: 1, millisecond: 1_000, second: 1_000_000, minute: 60_000_000, hour: 3_600_000_000,
  day: 86_400_000_000, week: 604_800_000_000,
};

/** "-7 days", "90 minutes", "0": an interval in microseconds (numbers pass through as microseconds). */
function intervalMicros(value: number | string): number {
  if (typeof value === "number") return value;
  const text = value.trim().toLowerCase();
  if (text === "0" || text === "current row") return CURRENT_ROW;
  if (text === "unbounded preceding") return UNBOUNDED_PRECEDING;
  if (text === "unbounded following") return UNBOUNDED_FOLLOWING;
  const m = /^([+-]?\d+(?:\.\d+)?)\s*([a-z]+?)s?$/.exec(text);
  const unit = m ? UNIT_MICROS[m[2]!] : undefined;
  if (!m || unit === undefined) {
    throw new RangeError(`rangeBetween: cannot read the interval "${value}"; write e.g. "-7 days", "-90 minutes" or "0"`);
  }
  return Math.round(Number(m[1]) * unit);
}

function makeFrame(type: "rows" | "range", start: number, end: number): WindowFrame {
  if (start > end) throw new RangeError(`${type}Between(${start}, ${end}): the start must not come after the end`);
  return { type, start: toBound(start), end: toBound(end) };
}

function flatten(cols: readonly (ColumnLike | readonly ColumnLike[])[]): ColumnLike[] {
  return cols.flatMap((c) => (Array.isArray(c) ? (c as readonly ColumnLike[]) : [c as ColumnLike]));
}

/** Microseconds per unit, for rangeBetween over a timestamp: rangeBetween(-7 * Window.day, 0). */
const MICROS = { second: 1_000_000, minute: 60_000_000, hour: 3_600_000_000, day: 86_400_000_000 } as const;

export const Window = {
  unboundedPreceding: UNBOUNDED_PRECEDING,
  unboundedFollowing: UNBOUNDED_FOLLOWING,
  currentRow: CURRENT_ROW,
  ...MICROS,
  partitionBy: (...cols: readonly (ColumnLike | readonly ColumnLike[])[]): WindowSpecBuilder => new WindowSpecBuilder().partitionBy(...cols),
  orderBy: (...cols: readonly (ColumnLike | readonly ColumnLike[])[]): WindowSpecBuilder => new WindowSpecBuilder().orderBy(...cols),
  rowsBetween: (start: number, end: number): WindowSpecBuilder => new WindowSpecBuilder().rowsBetween(start, end),
  rangeBetween: (start: number, end: number): WindowSpecBuilder => new WindowSpecBuilder().rangeBetween(start, end),
} as const;
