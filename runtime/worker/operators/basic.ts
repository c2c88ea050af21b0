/**
 * The streaming operators that keep no state across batches: scan (with pushed filters,
 * projection and limit), project, filter. Each batch in gives at most one batch out.
 */
import type { Batch } from "../../batch/column.js";
import type { Schema } from "../../expr/types.js";
import { takeBatch } from "../../batch/ops/take.js";
import { compileExpr, compilePredicate, resolveColumnIndex } from "./eval.js";
import type { NodeOf, OperatorEnv } from "./env.js";
import { sliceBatch } from "./limit.js";

export function selectRows(batch: Batch, selected: Uint32Array, schema: Schema = batch.schema): Batch {
  if (selected.length === batch.length) return schema === batch.schema ? batch : { ...batch, schema };
  const idx = new Int32Array(selected.buffer, selected.byteOffset, selected.length);
  return takeBatch(batch, idx, idx.length, schema);
}

export async function* scanExec(node: NodeOf<"ScanExec">, env: OperatorEnv): AsyncIterable<Batch> {
  const { ctx } = env;
  let remaining = node.limit ?? Infinity;
  const predicates: ((b: Batch) => Uint32Array)[] = [];
  let projection: number[] | undefined;
  for await (const raw of ctx.scan(node.source, ctx.partition)) {
    ctx.checkCancelled();
    env.metrics.addRowsIn(raw.length);
    if (predicates.length === 0 && node.filters.length > 0) for (const f of node.filters) predicates.push(compilePredicate(f, raw.schema));
    let batch = raw;
    for (const p of predicates) batch = selectRows(batch, p(batch));
    if (node.projection) {
      projection ??= node.projection.map((name) => resolveColumnIndex(raw.schema, name));
      batch = { schema: node.schema, length: batch.length, columns: projection.map((i) => batch.columns[i]!) };
    } else if (batch.schema !== node.schema && batch.columns.length === node.schema.fields.length) {
      batch = { ...batch, schema: node.schema };
    }
    if (batch.length > remaining) batch = sliceBatch(batch, 0, remaining);
    remaining -= batch.length;
    if (batch.length > 0) yield batch;
    if (remaining <= 0) return;
  }
}

export async function* projectExec(node: NodeOf<"ProjectExec">, env: OperatorEnv): AsyncIterable<Batch> {
  let compiled: ReturnType<typeof compileExpr>[] | undefined;
  for await (const batch of env.input(node.input)) {
    compiled ??= node.exprs.map((e) => compileExpr(e, batch.schema));
    yield { schema: node.schema, length: batch.length, columns: compiled.map((c) => c.evaluate(batch)) };
  }
}

export async function* filterExec(node: NodeOf<"FilterExec">, env: OperatorEnv): AsyncIterable<Batch> {
  let predicate: ((b: Batch) => Uint32Array) | undefined;
  for await (const batch of env.input(node.input)) {
    predicate ??= compilePredicate(node.predicate, batch.schema);
    const out = selectRows(batch, predicate(batch), node.schema);
    if (out.length > 0) yield out;
  }
}
