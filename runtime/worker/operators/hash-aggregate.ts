/**
 * HashAggregateExec. Rows map to dense group ids through a KeyTable (typed-array open addressing,
 * dictionary codes and int32 keys without encoding); accumulators keep per-group state in typed
 * arrays indexed by those ids.
 *  - partial: update from input rows, emit keys + state columns (aggregateStateFields). Over the
 *    memory budget it emits what it has and starts again: the final side merges duplicates anyway.
 *    When the first ~100k rows show it barely reduces (aggregate/skip-partial.ts), it stops
 *    hashing and passes each batch on as one state row per input row.
 *  - final: input columns are keys (by position) then each aggregate's state columns; merge them.
 *  - complete: update, then finish.
 * Global aggregates (no keys) always produce one row, also for empty input (count = 0, sum = null).
 */
import type { Batch, Column } from "../../batch/column.js";
import type { DataType, Field, Schema } from "../../expr/types.js";
import { KeyTable } from "../../batch/ops/key-table.js";
import { aggResultType } from "../../expr/coercion.js";
import type { Accumulator } from "./aggregate/accumulator.js";
import { argTypesFromState, createAccumulator, stateWidth } from "./aggregate/factory.js";
import { compileExpr, exprName, type CompiledExpr } from "./eval.js";
import type { NodeOf, OperatorEnv } from "./env.js";
import type { MemoryReservation } from "../task-context.js";
import { resourcesExhausted } from "./errors.js";
import { sliceBatch, sliceColumn } from "./limit.js";
import { AggregateSpill } from "./aggregate-spill.js";
import { DistinctAccumulator } from "./aggregate/distinct.js";
import { AvgAccumulator } from "./aggregate/numeric.js";
import { countValid } from "./aggregate/numeric-kernels.js";
import { fusedMapUpdate, fusedUpdate } from "./aggregate/fused-sums.js";
import { PartialReductionProbe, rowStates, tailViews } from "./aggregate/skip-partial.js";

export const OUTPUT_BATCH_ROWS = 65536;

interface AggState {
  table: KeyTable;
  accs: Accumulator[];
  keyFields: Field[];
  keys: (batch: Batch) => Column[];
  /** Per aggregate: columns fed to update (args) or merge (states). */
  inputs: ((batch: Batch) => Column[])[];
  argTypes: DataType[][];
}

function setup(node: NodeOf<"HashAggregateExec">, schema: Schema): AggState {
  const k = node.keys.length;
  if (node.mode === "final") {
    const keyFields = schema.fields.slice(0, k);
    let pos = k;
    const inputs: AggState["inputs"] = [];
    const argTypes: DataType[][] = [];
    for (const call of node.aggs) {
      const start = pos, width = stateWidth(call);
      pos += width;
      inputs.push((b) => b.columns.slice(start, start + width));
      argTypes.push(argTypesFromState(call, schema.fields.slice(start, start + width).map((f) => f.type)));
    }
    return {
      table: new KeyTable(keyFields.map((f) => f.type)),
      accs: node.aggs.map((call, i) => createAccumulator(call, argTypes[i]!)),
      keyFields,
      keys: (b) => b.columns.slice(0, k) as Column[],
      inputs,
      argTypes,
    };
  }
  const keyExprs: CompiledExpr[] = node.keys.map((e) => compileExpr(e, schema));
  const argExprs: CompiledExpr[][] = node.aggs.map((call) => call.args.map((e) => compileExpr(e, schema)));
  const argTypes = argExprs.map((args) => args.map((a) => a.type));
  return {
    table: new KeyTable(keyExprs.map((c) => c.type)),
    accs: node.aggs.map((call, i) => createAccumulator(call, argTypes[i]!)),
    keyFields: keyExprs.map((c, i) => ({ name: exprName(node.keys[i]!), type: c.type, nullable: true })),
    keys: (b) => keyExprs.map((c) => c.evaluate(b)),
    inputs: argExprs.map((args) => (b: Batch) => args.map((a) => a.evaluate(b))),
    argTypes,
  };
}

function partialSchema(node: NodeOf<"HashAggregateExec">, st: AggState): Schema {
  const fields: Field[] = [...st.keyFields, ...node.aggs.flatMap((call, i) => st.accs[i]!.stateTypes.map((type, j) => ({ name: `${call.name}#state${j}`, type, nullable: true })))];
  return node.schema.fields.length === fields.length ? node.schema : { fields };
}

/** A partial aggregate that skips grouping: the batch's keys with one state row per input row. */
function passThrough(node: NodeOf<"HashAggregateExec">, st: AggState, batch: Batch): Batch {
  const n = batch.length;
  const states = rowStates(node.aggs, st.argTypes, st.inputs.map((args) => args(batch)), n);
  return { schema: partialSchema(node, st), length: n, columns: [...st.keys(batch), ...states] };
}

function* emit(node: NodeOf<"HashAggregateExec">, st: AggState, groupCount: number): Iterable<Batch> {
  // groupCount may be below the table's size: the first groupCount ids (insertion order) only.
  const keyCols = node.keys.length === 0 ? [] : st.table.emitKeys().map((c) => (c.length > groupCount ? sliceColumn(c, 0, groupCount) : c));
  let batch: Batch;
  if (node.mode === "partial") {
    const columns = [...keyCols, ...st.accs.flatMap((a) => a.state(groupCount))];
    batch = { schema: partialSchema(node, st), length: groupCount, columns };
  } else {
    const results = st.accs.map((a) => a.finish(groupCount));
    const fields: Field[] = [
      ...st.keyFields,
      ...node.aggs.map((call, i) => {
        const t = aggResultType(call.distinct && call.fn === "count" ? "count_distinct" : call.fn, st.argTypes[i]!);
        return { name: call.name, type: typeof t === "string" ? results[i]!.type : t, nullable: true };
      }),
    ];
    batch = { schema: { fields }, length: groupCount, columns: [...keyCols, ...results] };
    if (node.resultExprs) {
      const inner = batch;
      const compiled = node.resultExprs.map((e) => compileExpr(e, inner.schema));
      batch = { schema: node.schema, length: groupCount, columns: compiled.map((c) => c.evaluate(inner)) };
    } else if (node.schema.fields.length === fields.length) {
      batch = { ...batch, schema: node.schema };
    }
  }
  for (let s = 0; s < batch.length; s += OUTPUT_BATCH_ROWS) yield sliceBatch(batch, s, s + OUTPUT_BATCH_ROWS);
}

/**
 * tryGrow, except that an operator with a way out (partial aggregation can always emit early)
 * treats the context's ResourcesExhausted as "over budget" instead of failing the task.
 */
function grow(reservation: MemoryReservation, bytes: number, canShed: boolean): boolean {
  if (!canShed) return reservation.tryGrow(bytes);
  try {
    return reservation.tryGrow(bytes);
  } catch (e) {
    if ((e as Error).name === "ResourcesExhausted") return false;
    throw e;
  }
}

/** Aggregates that cannot be re-merged from partial states keep everything in memory. */
function canSpill(node: NodeOf<"HashAggregateExec">, st: AggState): boolean {
  return node.keys.length > 0 && !st.accs.some((a) => a instanceof DistinctAccumulator);
}

function* emitStates(node: NodeOf<"HashAggregateExec">, st: AggState): Iterable<Batch> {
  yield* emit({ ...node, mode: "partial", schema: { fields: [] } }, st, st.table.size);
}

/** Maps and accumulates a batch; when its first `mapped` rows already have ids, maps only the rest if it can. */
function consume(node: NodeOf<"HashAggregateExec">, st: AggState, batch: Batch, gids: Int32Array, keys = st.keys(batch), mapped = 0): void {
  const args = st.inputs.map((input) => input(batch));
  if (node.mode !== "final") {
    // One int32 or dictionary key without nulls and only sum/avg/count without nulls: map and add in
    // one loop (rows the skip-partial probe already mapped are looked up again, to the same ids).
    const direct = st.table.directKeys(keys);
    if (direct && fusedMapUpdate(direct.keys, direct.values, st.accs, args, batch.length)) return;
  }
  const tail = mapped > 0 ? tailViews(keys, mapped) : undefined;
  if (tail) st.table.map(tail, batch.length - mapped, gids.subarray(mapped), true);
  else st.table.map(keys, batch.length, gids, true);
  const groups = st.table.size;
  const ids = gids.subarray(0, batch.length);
  if (node.mode === "final") {
    for (let i = 0; i < st.accs.length; i++) st.accs[i]!.merge(ids, args[i]!, batch.length, groups);
    return;
  }
  // sum/avg/count over columns without nulls: one pass for all of them (aggregate/fused-sums.ts).
  const fused = fusedUpdate(st.accs, args, ids, batch.length, groups);
  const rowsPerGroup = fused ? undefined : sharedRowCounts(st, ids, batch.length, groups);
  for (let i = 0; i < st.accs.length; i++) {
    if (fused?.[i]) continue;
    const cols = args[i]!;
    const acc = st.accs[i]!;
    if (!(rowsPerGroup && acc instanceof AvgAccumulator && acc.updateCounted(ids, cols, batch.length, groups, rowsPerGroup))) acc.update(ids, cols, batch.length, groups);
  }
}

/**
 * Rows per group of this batch, when several avg aggregates can share it (q4: avg(v1), avg(v2),
 * avg(v3)): counted once instead of once per aggregate. Only when there are fewer groups than
 * rows, so that adding the counts per group stays cheaper than per row.
 */
function sharedRowCounts(st: AggState, ids: Int32Array, length: number, groups: number): Float64Array | undefined {
  if (groups > length) return undefined;
  let avgs = 0;
  for (const a of st.accs) if (a instanceof AvgAccumulator) avgs++;
  if (avgs < 2) return undefined;
  const counts = new Float64Array(groups);
  countValid(ids, undefined, length, counts);
  return counts;
}

export async function* hashAggregateExec(node: NodeOf<"HashAggregateExec">, env: OperatorEnv): AsyncIterable<Batch> {
  const { ctx } = env;
  const reservation = ctx.reserve(`HashAggregateExec#${node.id}`);
  const global = node.keys.length === 0;
  let st: AggState | undefined;
  let gids = new Int32Array(0);
  let pending = false;
  let spill: AggregateSpill | undefined;
  const probe = node.mode === "partial" && !global ? new PartialReductionProbe() : undefined;
  let skipping = false;
  try {
    for await (const batch of env.input(node.input)) {
      ctx.checkCancelled();
      st ??= setup(node, batch.schema);
      if (batch.length === 0) continue;
      if (skipping) { yield passThrough(node, st, batch); continue; }
      if (gids.length < batch.length) gids = new Int32Array(batch.length);
      // Rounded up to whole bitmap bytes, so the rest of the batch can be viewed without copying.
      const left = ((probe?.remaining ?? 0) + 7) & ~7;
      let keys: Column[] | undefined;
      if (left > 0 && batch.length > left) {
        // The batch crosses the probe size (in-memory partitions arrive as one batch): probe on
        // its first rows' keys alone. Keys only seen there get ids >= before and no state yet.
        const before = st.table.size;
        keys = st.keys(batch);
        st.table.map(keys, left, gids, true);
        if (probe!.shouldSkip(left, st.table.size)) {
          if (before > 0) yield* emit(node, st, before);
          yield passThrough(node, st, batch);
          reservation.shrink(reservation.reserved);
          st = setup(node, batch.schema);
          pending = false;
          skipping = true;
          continue;
        }
        // Keep grouping: the rest of the batch maps below (or all of it again, to the same ids).
      }
      consume(node, st, batch, gids, keys, keys ? left : 0);
      pending = true;
      if (probe?.shouldSkip(batch.length, st.table.size)) {
        // Nearly every row is a new group: hand over what was grouped and stop grouping.
        yield* emit(node, st, st.table.size);
        reservation.shrink(reservation.reserved);
        st = setup(node, batch.schema);
        pending = false;
        skipping = true;
        continue;
      }
      const used = st.table.memoryBytes() + st.accs.reduce((s, a) => s + a.memoryBytes(), 0);
      const delta = used - reservation.reserved;
      if (delta > 0 && !grow(reservation, delta, node.mode === "partial" && !global)) {
        if (node.mode === "partial" && !global) {
          // Early emit: partial output may repeat keys, the final aggregate merges them.
          yield* emit(node, st, st.table.size);
        } else if (!ctx.spillEnabled) {
          throw resourcesExhausted(`HashAggregateExec (${node.mode})`, ctx, reservation.reserved, delta);
        } else if (canSpill(node, st)) {
          spill ??= await AggregateSpill.create(ctx, node.id, node.keys.length, env.metrics);
          for (const b of emitStates(node, st)) await spill.add(b);
        } else {
          continue; // distinct or global aggregates stay in memory
        }
        reservation.shrink(reservation.reserved);
        st = setup(node, batch.schema);
        pending = false;
      }
    }
    st ??= setup(node, node.input.schema);
    if (spill) {
      for (const b of emitStates(node, st)) await spill.add(b);
      reservation.shrink(reservation.reserved);
      // Each spill file holds whole keys: merge it alone, as a final aggregate over partial states.
      const merge: NodeOf<"HashAggregateExec"> = { ...node, mode: "final" };
      for await (const file of spill.partitions()) {
        let ms: AggState | undefined;
        for await (const b of file) {
          ctx.checkCancelled();
          ms ??= setup(merge, b.schema);
          if (gids.length < b.length) gids = new Int32Array(b.length);
          consume(merge, ms, b, gids);
        }
        if (ms && ms.table.size > 0) yield* emit(merge, ms, ms.table.size);
      }
      return;
    }
    if (pending || global || node.mode !== "partial") {
      const groups = global ? 1 : st.table.size;
      if (groups > 0) yield* emit(node, st, groups);
    }
  } finally {
    reservation.shrink(reservation.reserved);
  }
}
