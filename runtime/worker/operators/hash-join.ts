/**
 * HashJoinExec (broadcast or partitioned; also serves nested-loop and sort-merge nodes): builds a
 * table over node.buildSide, streams the other side through it in batches. All join types:
 * inner, left/right/full outer (unmatched rows padded with nulls), semi/anti (left rows only),
 * cross (no keys: every row shares one key). An extra `condition` is applied to candidate pairs
 * before deciding what matched. Output columns: left fields then right fields (semi/anti: left).
 */
import type { Batch, Column } from "../../batch/column.js";
import type { Field, Schema } from "../../expr/types.js";
import { batchBytes, isShared } from "../../batch/buffers.js";
import { sliceBatch, sliceView } from "../../batch/gather.js";
import { concatBatches } from "../../batch/ops/concat.js";
import { emptyBatch, nullColumn, selectColumns, takeColumn, takeColumns } from "../../batch/ops/take.js";
import { compileExpr, compilePredicate } from "./eval.js";
import type { NodeOf, OperatorEnv } from "./env.js";
import { OperatorError, resourcesExhausted } from "./errors.js";
import { OUTPUT_BATCH_ROWS } from "./hash-aggregate.js";
import { buildSide, dropNullKeys, PairBuffer } from "./join-pairs.js";
import { JoinSpill } from "./join-spill.js";
import type { TaskContext } from "../task-context.js";

type JoinNode = NodeOf<"HashJoinExec">;

/**
 * String columns of a build side with at most this many rows are output as dictionary columns
 * over the build column (codes only, no bytes per output row). Bounded by the output batch size,
 * so a dictionary never outweighs the batch that carries it across threads.
 */
const SMALL_BUILD_DICTIONARY_ROWS = OUTPUT_BATCH_ROWS;

export async function* hashJoinExec(node: JoinNode, env: OperatorEnv): AsyncIterable<Batch> {
  const { ctx } = env;
  const leftIsProbe = node.buildSide === "right";
  const buildPlan = leftIsProbe ? node.right : node.left;
  const probePlan = leftIsProbe ? node.left : node.right;
  const how = node.how;
  const buildOuter = how === "full" || (how === "left" && !leftIsProbe) || (how === "right" && leftIsProbe);
  const leftOnly = how === "semi" || how === "anti";
  const buildTracked = buildOuter || (leftOnly && !leftIsProbe);
  if (buildTracked && node.mode === "broadcast" && ctx.numPartitions > 1) {
    throw new OperatorError(`a ${how} join cannot broadcast its ${node.buildSide} side: unmatched ${node.buildSide} rows would repeat in every partition; broadcast the other side or use a partitioned join`);
  }

  const buildKeyExprs = leftIsProbe ? node.rightKeys : node.leftKeys;
  const probeKeyExprs = leftIsProbe ? node.leftKeys : node.rightKeys;
  const reservation = ctx.reserve(`HashJoinExec#${node.id}`);
  try {
    let pieces: Batch[] = [];
    let spill: JoinSpill | undefined;
    for await (const b of env.input(buildPlan)) {
      ctx.checkCancelled();
      if (spill) { await spill.build.add(b); continue; }
      const bytes = batchBytes(b);
      if (!reservation.tryGrow(bytes)) {
        if (!ctx.spillEnabled) throw resourcesExhausted(`HashJoinExec build side (${node.buildSide})`, ctx, reservation.reserved, bytes);
        if (node.mode === "partitioned" && buildKeyExprs.length > 0) {
          spill = await JoinSpill.create(ctx, node.id, buildKeyExprs, probeKeyExprs, env.metrics);
          for (const p of pieces) await spill.build.add(p);
          await spill.build.add(b);
          pieces = [];
          reservation.shrink(reservation.reserved);
          continue;
        }
      }
      pieces.push(b);
    }
    if (!spill) {
      yield* joinBatches(node, ctx, pieces, env.input(probePlan));
      return;
    }
    for await (const b of env.input(probePlan)) { ctx.checkCancelled(); await spill.probe.add(b); }
    for await (const part of spill.partitions()) yield* joinBatches(node, ctx, part.build, part.probe);
  } finally {
    reservation.shrink(reservation.reserved);
  }
}

/** The in-memory join of one build side (all of it) with a stream of probe batches. */
async function* joinBatches(node: JoinNode, ctx: TaskContext, pieces: Batch[], probeStream: AsyncIterable<Batch>): AsyncIterable<Batch> {
  const leftIsProbe = node.buildSide === "right";
  const buildPlan = leftIsProbe ? node.right : node.left;
  const probePlan = leftIsProbe ? node.left : node.right;
  const how = node.how;
  const probeOuter = how === "full" || (how === "left" && leftIsProbe) || (how === "right" && !leftIsProbe);
  const buildOuter = how === "full" || (how === "left" && !leftIsProbe) || (how === "right" && leftIsProbe);
  const leftOnly = how === "semi" || how === "anti";
  const buildTracked = buildOuter || (leftOnly && !leftIsProbe);
  const buildBatch = pieces.length ? concatBatches(pieces, pieces[0]!.schema) : emptyBatch(buildPlan.schema);
  const buildKeyExprs = leftIsProbe ? node.rightKeys : node.leftKeys;
  const probeKeyExprs = leftIsProbe ? node.leftKeys : node.rightKeys;
  const build = buildSide(buildBatch, buildKeyExprs.map((e) => compileExpr(e, buildBatch.schema).evaluate(buildBatch)));
  const buildMatched = buildTracked ? new Uint8Array(buildBatch.length) : undefined;

  const leftFields = node.left.schema.fields, rightFields = node.right.schema.fields;
  const pairFields: Field[] = [...leftFields, ...rightFields];
  const outSchema: Schema = leftOnly
    ? (node.schema.fields.length === leftFields.length ? node.schema : node.left.schema)
    : (node.schema.fields.length === pairFields.length ? node.schema : { fields: pairFields });
  const condition = node.condition ? compilePredicate(node.condition, { fields: pairFields }) : undefined;

  /** Output rows from (left index, right index) lists; -1 = null padding. */
  const assemble = (probeBatch: Batch | undefined, probeIdx: Int32Array, buildIdx: Int32Array, n: number, schema: Schema): Batch => {
    // One -1 scan per index list, then one gather per column (dictionary columns gather codes only).
    const probeCols: Column[] = probeBatch
      ? takeColumns(probeBatch.columns, probeIdx, n)
      : probePlan.schema.fields.map((f) => nullColumn(f.type, n));
    const buildCols = takeColumns(buildBatch.columns, buildIdx, n, SMALL_BUILD_DICTIONARY_ROWS);
    const columns = leftIsProbe ? [...probeCols, ...buildCols] : [...buildCols, ...probeCols];
    return { schema, length: n, columns };
  };

  // Unique build keys and no pair condition: each probe row has at most one match, whose id is the
  // build row, so the output is built straight from the ids without a pair list (see uniqueMatches).
  const unique = build.identity && !condition && !buildTracked && !leftOnly;

  const pairs = new PairBuffer();
  let probeIds = new Int32Array(0);
  for await (const probe of probeStream) {
    ctx.checkCancelled();
    const n = probe.length;
    if (n === 0) continue;
    if (probeIds.length < n) probeIds = new Int32Array(n);
    const keys = probeKeyExprs.map((e) => compileExpr(e, probe.schema).evaluate(probe));
    keys.forEach((k, i) => {
      const want = build.table.types[i]!;
      if (k.type.kind !== want.kind) {
        throw new OperatorError(`join key ${i + 1} has type ${k.type.kind} on one side and ${want.kind} on the other; cast one side so both keys have the same type`);
      }
    });
    build.table.map(keys, n, probeIds, false);
    dropNullKeys(keys, probeIds, n);
    if (unique) {
      for (const out of uniqueMatches(probe, probeIds, buildBatch, probeOuter, leftIsProbe, outSchema)) yield out;
      continue;
    }
    const probeMatched = probeOuter || leftOnly ? new Uint8Array(n) : undefined;
    let row = 0;
    while (row < n) {
      // One chunk of candidate pairs, cut at probe-row boundaries.
      pairs.clear();
      row = pairs.fill(probeIds, row, n, build.offsets, build.rows, OUTPUT_BATCH_ROWS, build.identity);
      if (pairs.length === 0) continue;
      let pi = pairs.probe, bi = pairs.build, count = pairs.length;
      if (condition) {
        const candidate = assemble(probe, pi, bi, count, { fields: pairFields });
        const keep = condition(candidate);
        const npi = new Int32Array(keep.length), nbi = new Int32Array(keep.length);
        for (let k = 0; k < keep.length; k++) { npi[k] = pi[keep[k]!]!; nbi[k] = bi[keep[k]!]!; }
        pi = npi; bi = nbi; count = keep.length;
      }
      if (probeMatched) for (let k = 0; k < count; k++) probeMatched[pi[k]!] = 1;
      if (buildMatched) for (let k = 0; k < count; k++) buildMatched[bi[k]!] = 1;
      if (!leftOnly && count > 0) yield assemble(probe, pi, bi, count, outSchema);
    }
    if (probeMatched && (probeOuter || leftIsProbe)) {
      const want = how === "semi" ? 1 : 0;
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (probeMatched[i] === want) rows.push(i);
      if (rows.length > 0) {
        const idx = Int32Array.from(rows);
        if (leftOnly) yield { schema: outSchema, length: idx.length, columns: probe.columns.map((c) => takeColumn(c, idx)) };
        else yield assemble(probe, idx, new Int32Array(idx.length).fill(-1), idx.length, outSchema);
      }
    }
  }
  if (buildMatched) {
    const want = how === "semi" ? 1 : 0;
    const rows: number[] = [];
    for (let i = 0; i < buildMatched.length; i++) if (buildMatched[i] === want) rows.push(i);
    for (let s = 0; s < rows.length; s += OUTPUT_BATCH_ROWS) {
      const idx = Int32Array.from(rows.slice(s, s + OUTPUT_BATCH_ROWS));
      if (leftOnly) yield { schema: outSchema, length: idx.length, columns: buildBatch.columns.map((c) => takeColumn(c, idx)) };
      else yield assemble(undefined, new Int32Array(idx.length).fill(-1), idx, idx.length, outSchema);
    }
  }
}


/**
 * Output of one probe batch against unique build keys, in probe row order, OUTPUT_BATCH_ROWS rows
 * at a time. ids[i] = build row of probe row i, or -1. Outer (probe side kept): every probe row
 * once, so the probe columns are reused as they are (views when the batch is in shared memory) and
 * only the build columns are gathered, with -1 giving the null padding in the same pass. Inner:
 * the same when every row matched, else one gather of the matched rows on each side (probe strings
 * in shared memory as dictionary views over their rows, no bytes copied).
 */
function* uniqueMatches(probe: Batch, ids: Int32Array, buildBatch: Batch, keepAll: boolean, leftIsProbe: boolean, schema: Schema): Iterable<Batch> {
  const n = probe.length;
  const shared = isShared(probe);
  const scratchRows = keepAll ? 0 : Math.min(n, OUTPUT_BATCH_ROWS) + 1;
  const selScratch = new Int32Array(scratchRows), idxScratch = new Int32Array(scratchRows);
  for (let start = 0; start < n; start += OUTPUT_BATCH_ROWS) {
    const end = Math.min(n, start + OUTPUT_BATCH_ROWS);
    const chunkIds = ids.subarray(start, end);
    let matched = end - start;
    let sel: Int32Array | undefined;
    if (!keepAll) {
      // One pass, no branch per row (which rows match is data, a branch mispredicts): every row is
      // written at k and k advances only past matches; the scratch lists have a spare slot for the
      // write after the last match, and no output keeps them (gathers copy).
      let k = 0;
      for (let i = 0; i < chunkIds.length; i++) {
        const g = chunkIds[i]!;
        selScratch[k] = start + i; idxScratch[k] = g;
        k += (g >>> 31) ^ 1;
      }
      if (k === 0) continue;
      if (k < end - start) { matched = k; sel = selScratch.subarray(0, k); }
    }
    let probeCols: readonly Column[];
    let buildIdx: Int32Array;
    if (sel === undefined) {
      // Whole rows [start, end): no probe gather. A view may only be shared memory (a transferred
      // view would detach the rest of the batch); otherwise the range is copied, sequentially.
      probeCols = start === 0 && end === n ? probe.columns : (shared ? sliceView(probe, start, end) : sliceBatch(probe, start, end)).columns;
      buildIdx = chunkIds;
    } else {
      buildIdx = idxScratch.subarray(0, matched);
      // sel is ascending: strings in shared memory are output as views (see selectColumns).
      probeCols = selectColumns(probe.columns, sel);
    }
    const buildCols = takeColumns(buildBatch.columns, buildIdx, buildIdx.length, SMALL_BUILD_DICTIONARY_ROWS);
    yield { schema, length: matched, columns: leftIsProbe ? [...probeCols, ...buildCols] : [...buildCols, ...probeCols] };
  }
}
