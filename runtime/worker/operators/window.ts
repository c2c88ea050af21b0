/**
 * WindowExec: reads its whole partition (hash-partitioned on partitionBy), makes sure it is
 * ordered by partitionBy + orderBy (sorting only if the input was not), finds partition and peer
 * boundaries on row-encoded keys, then appends one column per window expression.
 */
import type { Batch, Column } from "../../batch/column.js";
import type { Expr, SortOrder } from "../../expr/ir.js";
import type { Field } from "../../expr/types.js";
import { concatBatches } from "../../batch/ops/concat.js";
import { encodeKeys, type EncodedRows } from "../../batch/ops/key-encoding.js";
import { rowComparator } from "../../batch/ops/sort-permutation.js";
import { compileExpr, exprName } from "./eval.js";
import type { NodeOf, OperatorEnv } from "./env.js";
import { OperatorError, resourcesExhausted } from "./errors.js";
import { batchBytes } from "../../batch/buffers.js";
import { OUTPUT_BATCH_ROWS } from "./hash-aggregate.js";
import { sliceBatch } from "./limit.js";
import { sortBatch, sortKeys } from "./sort.js";
import { DEFAULT_ORDERED_FRAME, frameRanges, WHOLE_PARTITION, type Layout } from "./window-frames.js";
import { frameAggregate, rankingColumn } from "./window-functions.js";

function sameKey(rows: EncodedRows, i: number, j: number): boolean {
  const as = rows.offsets[i]!, ae = rows.offsets[i + 1]!, bs = rows.offsets[j]!, be = rows.offsets[j + 1]!;
  if (ae - as !== be - bs) return false;
  for (let k = 0; k < ae - as; k++) if (rows.bytes[as + k] !== rows.bytes[bs + k]) return false;
  return true;
}

/** Runs of equal keys: start/end of each row's run. */
function runs(rows: EncodedRows, n: number, within?: { start: Int32Array }): { start: Int32Array; end: Int32Array } {
  const start = new Int32Array(n), end = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const fresh = i === 0 || (within !== undefined && within.start[i] === i) || !sameKey(rows, i, i - 1);
    start[i] = fresh ? i : start[i - 1]!;
  }
  for (let i = n - 1; i >= 0; i--) end[i] = i === n - 1 || start[i + 1] === i + 1 ? i + 1 : end[i + 1]!;
  return { start, end };
}

export function windowLayout(batch: Batch, partitionBy: readonly Expr[], orderBy: readonly SortOrder[]): Layout {
  const n = batch.length;
  const partCols = partitionBy.map((e) => compileExpr(e, batch.schema).evaluate(batch));
  const orderCols = orderBy.map((o) => compileExpr(o.expr, batch.schema).evaluate(batch));
  const partOf = runs(encodeKeys(partCols, n), n);
  const peer = runs(encodeKeys(orderCols, n), n, partOf);
  const starts: number[] = [];
  for (let i = 0; i < n; i++) if (partOf.start[i] === i) starts.push(i);
  starts.push(n);
  return { n, partStarts: Int32Array.from(starts), partOf, peer };
}

function isSorted(batch: Batch, order: readonly SortOrder[]): boolean {
  if (order.length === 0) return true;
  const cmp = rowComparator(sortKeys(order, batch));
  for (let i = 1; i < batch.length; i++) if (cmp(i - 1, i) > 0) return false;
  return true;
}

export async function* windowExec(node: NodeOf<"WindowExec">, env: OperatorEnv): AsyncIterable<Batch> {
  const { ctx } = env;
  const pieces: Batch[] = [];
  const reservation = ctx.reserve(`WindowExec#${node.id}`);
  try {
    for await (const b of env.input(node.input)) {
      ctx.checkCancelled();
      if (b.length === 0) continue;
      // The whole partition plus its window columns stay in memory (no spill for windows yet).
      const bytes = batchBytes(b) * 2;
      if (!reservation.tryGrow(bytes) && !ctx.spillEnabled) throw resourcesExhausted("WindowExec", ctx, reservation.reserved, bytes);
      pieces.push(b);
    }
    if (pieces.length === 0) return;
    yield* windowPartition(node, pieces);
  } finally {
    reservation.shrink(reservation.reserved);
  }
}

function* windowPartition(node: NodeOf<"WindowExec">, pieces: Batch[]): Iterable<Batch> {
  let batch = concatBatches(pieces, pieces[0]!.schema);
  const fullOrder: SortOrder[] = [...node.partitionBy.map((expr) => ({ expr, ascending: true, nullsFirst: true })), ...node.orderBy];
  if (!isSorted(batch, fullOrder)) batch = sortBatch(batch, fullOrder);
  const layout = windowLayout(batch, node.partitionBy, node.orderBy);
  const orderKey = node.orderBy.length === 1 ? compileExpr(node.orderBy[0]!.expr, batch.schema).evaluate(batch) : undefined;
  const ascending = node.orderBy[0]?.ascending ?? true;

  const columns: Column[] = [...batch.columns];
  const fields: Field[] = [...batch.schema.fields];
  for (const e of node.exprs) {
    const inner = e.kind === "Alias" ? e.expr : e;
    if (inner.kind !== "Window") throw new OperatorError(`WindowExec expects window expressions, got ${inner.kind} in "${exprName(e)}"`);
    const fn = inner.fn;
    let col: Column;
    if (fn.kind === "Ranking") {
      const args = fn.args.map((a) => compileExpr(a, batch.schema).evaluate(batch));
      col = rankingColumn(fn.fn, fn, layout, args);
    } else if (fn.kind === "Agg") {
      const frame = inner.spec.frame ?? node.frame ?? (node.orderBy.length > 0 ? DEFAULT_ORDERED_FRAME : WHOLE_PARTITION);
      const ranges = frameRanges(frame, layout, orderKey, ascending);
      const arg = fn.args[0] ? compileExpr(fn.args[0], batch.schema).evaluate(batch) : undefined;
      col = frameAggregate(fn.fn, fn, arg, ranges, batch.length);
    } else {
      throw new OperatorError(`"${exprName(e)}": only ranking and aggregate functions can be used over a window`);
    }
    columns.push(col);
    fields.push({ name: exprName(e), type: col.type, nullable: true });
  }
  const schema = node.schema.fields.length === fields.length ? node.schema : { fields };
  const out: Batch = { schema, length: batch.length, columns };
  for (let s = 0; s < out.length; s += OUTPUT_BATCH_ROWS) yield sliceBatch(out, s, s + OUTPUT_BATCH_ROWS);
}
