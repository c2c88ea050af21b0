/**
 * Size estimates for join selection, from the sources' row and byte counts and fixed selectivity
 * guesses (no column statistics yet): a filter keeps half its input, an aggregate half, a
 * projection keeps the share of columns it outputs. Estimates only choose between plans; a wrong
 * guess costs speed, never correctness.
 */
import type { LogicalPlan, SourceRef } from "../logical/plan.js";

export interface SizeEstimate {
  readonly rows: number;
  readonly bytes: number;
}

const FILTER_SELECTIVITY = 0.5;
const AGGREGATE_REDUCTION = 0.5;
const BYTES_PER_RANGE_ROW = 8;
/** A source that does not say its size is assumed large, so it is never broadcast by accident. */
const UNKNOWN_SOURCE_ROWS = 1e9;
const UNKNOWN_SOURCE_BYTES = 1e12;

export function sourceSize(source: SourceRef): SizeEstimate {
  if (source.kind === "range") {
    const span = source.end - source.start;
    const rows = source.step === 0n ? 0 : Math.max(0, Number(span / source.step));
    return { rows, bytes: rows * BYTES_PER_RANGE_ROW };
  }
  // Any source that reports its size (memory today; files when readers add them).
  const sized = source as { rows?: number; bytes?: number };
  return { rows: sized.rows ?? UNKNOWN_SOURCE_ROWS, bytes: sized.bytes ?? UNKNOWN_SOURCE_BYTES };
}

function scale(e: SizeEstimate, rowFactor: number, widthFactor = 1): SizeEstimate {
  return { rows: e.rows * rowFactor, bytes: e.bytes * rowFactor * widthFactor };
}

function widthShare(outFields: number, inFields: number): number {
  return inFields === 0 ? 1 : Math.min(1, Math.max(outFields, 1) / inFields);
}

export function estimateSize(plan: LogicalPlan): SizeEstimate {
  switch (plan.kind) {
    case "Scan": {
      // Pushed filters are only hints (the Filter above them is counted), so they do not shrink the estimate.
      const base = sourceSize(plan.source);
      return plan.limit !== undefined && plan.limit < base.rows ? scale(base, plan.limit / Math.max(base.rows, 1)) : base;
    }
    case "Filter":
      return scale(estimateSize(plan.input), FILTER_SELECTIVITY);
    case "Project":
    case "Window": {
      const input = estimateSize(plan.input);
      return scale(input, 1, widthShare(plan.schema.fields.length, plan.input.schema.fields.length) * (plan.kind === "Window" ? 1.2 : 1));
    }
    case "Aggregate": {
      const input = estimateSize(plan.input);
      if (plan.groupBy.length === 0) return { rows: 1, bytes: 8 * plan.schema.fields.length };
      return scale(input, AGGREGATE_REDUCTION, widthShare(plan.schema.fields.length, plan.input.schema.fields.length));
    }
    case "Distinct":
      return scale(estimateSize(plan.input), AGGREGATE_REDUCTION);
    case "Join": {
      const l = estimateSize(plan.left);
      const r = estimateSize(plan.right);
      if (plan.how === "semi" || plan.how === "anti") return l;
      if (plan.how === "cross" && plan.on.length === 0) return { rows: l.rows * r.rows, bytes: l.bytes * r.rows + r.bytes * l.rows };
      return { rows: Math.max(l.rows, r.rows), bytes: l.bytes + r.bytes };
    }
    case "Limit": {
      const input = estimateSize(plan.input);
      if (input.rows <= plan.n) return input;
      return { rows: plan.n, bytes: (input.bytes / Math.max(input.rows, 1)) * plan.n };
    }
    case "Union":
      return plan.inputs.map(estimateSize).reduce((a, b) => ({ rows: a.rows + b.rows, bytes: a.bytes + b.bytes }), { rows: 0, bytes: 0 });
    case "Sample":
      return scale(estimateSize(plan.input), Math.min(1, plan.fraction));
    default:
      return estimateSize(plan.input);
  }
}
