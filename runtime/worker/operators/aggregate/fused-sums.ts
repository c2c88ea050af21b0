/**
 * One pass per batch for the aggregates that only add (sum, avg, count) over inputs without nulls
 * (group-by q1, q4: avg(v1), avg(v2), avg(v3)). Separate loops each walk the group ids and chase
 * a store->load chain through their own per-group array; here one generated loop per input layout
 * adds every input and the row count into a strided table (row g holds group g's slots side by
 * side, one cache line), and the totals then go to each accumulator once per group.
 *
 * The loop is compiled with `new Function` per layout ("i32,i32,f64"), so V8 sees one array type
 * per argument and keeps it monomorphic (as runtime/expr/kernels/loops.ts does). Rows go in chunks
 * of at most 2^21, so an int32 total in a chunk stays below 2^52: exact in a double, which lets the
 * exact integer sum take it as one addition.
 */
import type { Column } from "../../../batch/column.js";
import type { Accumulator } from "./accumulator.js";
import type { DirectKeys } from "../../../batch/ops/key-table.js";
import { numericInput } from "./numeric-kernels.js";

/** An accumulator that can take per-group totals: totals[g * width + slot] (and the row count slot). */
export interface AdditiveAccumulator extends Accumulator {
  /** The column this accumulator adds for a batch, or undefined when it cannot be fused (nulls, types). */
  fusableInput(args: readonly Column[]): Float64Array | Int32Array | "rows" | undefined;
  addTotals(totals: Float64Array, width: number, slot: number, countSlot: number, groups: number): void;
}

export function isAdditive(acc: Accumulator): acc is AdditiveAccumulator {
  return typeof (acc as Partial<AdditiveAccumulator>).addTotals === "function";
}

/** Chunk rows: 2^21 rows of int32 add up to below 2^52 in magnitude. */
const CHUNK_ROWS = 1 << 21;
/** Below this many rows per group the per-group flush would cost about as much as the loop saves. */
const MIN_ROWS_PER_GROUP = 4;

type FusedLoop = (gids: Int32Array, from: number, to: number, totals: Float64Array, ...inputs: (Float64Array | Int32Array)[]) => void;
const loops = new Map<string, FusedLoop>();

function compileLoop(layout: string, inputs: number): FusedLoop {
  let fn = loops.get(layout);
  if (fn) return fn;
  const width = inputs + 1;
  const args = Array.from({ length: inputs }, (_, j) => `c${j}`);
  const adds = args.map((c, j) => `t[k + ${j}] += ${c}[i];`).join(" ");
  const body = `"use strict"; for (let i = from; i < to; i++) { const k = g[i] * ${width}; ${adds} t[k + ${inputs}] += 1; }`;
  fn = new Function("g", "from", "to", "t", ...args, body) as FusedLoop;
  loops.set(layout, fn);
  return fn;
}

/** Which accumulators fuse for a batch: their input slots (-1 = the row count), and the inputs. */
interface FusedPlan { done: boolean[]; slots: number[]; inputs: (Float64Array | Int32Array)[]; any: boolean; all: boolean }

function planFusion(accs: readonly Accumulator[], args: readonly (readonly Column[])[]): FusedPlan {
  const done = new Array<boolean>(accs.length).fill(false);
  const inputs: (Float64Array | Int32Array)[] = [];
  const slots: number[] = new Array<number>(accs.length).fill(-1);
  let any = false, all = true;
  for (let a = 0; a < accs.length; a++) {
    const acc = accs[a]!;
    const input = isAdditive(acc) ? acc.fusableInput(args[a]!) : undefined;
    if (input === undefined) { all = false; continue; }
    done[a] = true;
    any = true;
    if (input === "rows") continue; // the count slot
    // The same column under several aggregates (sum(v1), avg(v1)) is added once.
    let slot = inputs.indexOf(input);
    if (slot < 0) { slot = inputs.length; inputs.push(input); }
    slots[a] = slot;
  }
  return { done, slots, inputs, any, all };
}

function layoutOf(inputs: readonly (Float64Array | Int32Array)[]): string {
  return inputs.map((x) => (x instanceof Int32Array ? "i32" : "f64")).join(",");
}

function flush(accs: readonly Accumulator[], plan: FusedPlan, totals: Float64Array, groups: number): void {
  const count = plan.inputs.length, width = count + 1;
  for (let a = 0; a < accs.length; a++) {
    if (plan.done[a]) (accs[a] as AdditiveAccumulator).addTotals(totals, width, plan.slots[a]! < 0 ? count : plan.slots[a]!, count, groups);
  }
}

/**
 * Updates every accumulator of `accs` that can be fused for this batch, in one pass, and returns
 * which ones it did (the caller updates the others the usual way), or undefined when none could be
 * fused or there are too many groups for the rows (the per-group flush would cost more than it saves).
 */
export function fusedUpdate(accs: readonly Accumulator[], args: readonly (readonly Column[])[], gids: Int32Array, length: number, groups: number): boolean[] | undefined {
  if (groups === 0 || groups * MIN_ROWS_PER_GROUP > length) return undefined;
  const plan = planFusion(accs, args);
  if (!plan.any) return undefined;
  const { inputs } = plan;
  const loop = compileLoop(layoutOf(inputs), inputs.length);
  for (let from = 0; from < length; from += CHUNK_ROWS) {
    const to = Math.min(length, from + CHUNK_ROWS);
    const totals = new Float64Array(groups * (inputs.length + 1));
    loop(gids, from, to, totals, ...inputs);
    flush(accs, plan, totals, groups);
  }
  return plan.done;
}

/**
 * fusedMapUpdate needs a table that already holds most keys (the skip-partial probe or an earlier
 * batch filled it) and few of them: every new key leaves the loop and re-enters it, which over 1e5
 * groups (group-by q5, 5e6 rows) made it 2x slower than mapping first, then fusing the sums.
 */
const MAX_MAPPED_GROUPS = 4096;

type MappedLoop = (keys: Int32Array, from: number, to: number, direct: Int32Array, base: number, totals: Float64Array, ...inputs: (Float64Array | Int32Array)[]) => number;
const mappedLoops = new Map<string, MappedLoop>();

function compileMappedLoop(layout: string, inputs: number): MappedLoop {
  let fn = mappedLoops.get(layout);
  if (fn) return fn;
  const width = inputs + 1;
  const args = Array.from({ length: inputs }, (_, j) => `c${j}`);
  const adds = args.map((c, j) => `t[k + ${j}] += ${c}[i];`).join(" ");
  // Stops at the first key outside the direct array or not in the table yet (its id is 0 - 1).
  const body = `"use strict"; const span = direct.length; let i = from;
    for (; i < to; i++) { const off = (keys[i] - base) >>> 0; if (off >= span) break; const g = direct[off] - 1; if (g < 0) break;
      const k = g * ${width}; ${adds} t[k + ${inputs}] += 1; }
    return i;`;
  fn = new Function("keys", "from", "to", "direct", "base", "t", ...args, body) as MappedLoop;
  mappedLoops.set(layout, fn);
  return fn;
}

/**
 * fusedUpdate with the key lookup in the same loop (group-by q4: one int32 key, q1: one dictionary
 * string key; without nulls, every aggregate fusable): no group-id array is written and read back. A row whose key is new, or
 * outside the direct array, is inserted through the table (which may widen or switch to hashing)
 * and added on its own, and the loop resumes. Returns false, having done nothing, when some
 * aggregate cannot be fused or the table already hashes.
 */
export function fusedMapUpdate(table: DirectKeys, keys: Int32Array, accs: readonly Accumulator[], args: readonly (readonly Column[])[], length: number): boolean {
  const groups = table.size;
  if (table.directLookup() === undefined || groups === 0 || groups > MAX_MAPPED_GROUPS || groups * MIN_ROWS_PER_GROUP > length) return false;
  const plan = planFusion(accs, args);
  if (!plan.all || accs.length === 0) return false;
  const { inputs } = plan;
  const width = inputs.length + 1;
  const loop = compileMappedLoop(layoutOf(inputs), inputs.length);
  let totals = new Float64Array(Math.max(64, groups * 2) * width);
  for (let from = 0; from < length; from += CHUNK_ROWS) {
    const to = Math.min(length, from + CHUNK_ROWS);
    let i = from;
    while (i < to) {
      const view = table.directLookup();
      if (view !== undefined) i = loop(keys, i, to, view.direct, view.base, totals, ...inputs);
      if (i >= to) break;
      // A new key, one outside the direct array, or a table that now hashes: one row the slow way.
      const g = table.findOrInsert(keys[i]!, true, i);
      if ((g + 1) * width > totals.length) { const t = new Float64Array(Math.max(totals.length * 2, (g + 1) * width)); t.set(totals); totals = t; }
      const k = g * width;
      for (let j = 0; j < inputs.length; j++) totals[k + j]! += inputs[j]![i]!;
      totals[k + inputs.length]! += 1;
      i++;
    }
    const now = table.size;
    if (totals.length < now * width) { const t = new Float64Array(now * width); t.set(totals); totals = t; }
    flush(accs, plan, totals, now);
    totals.fill(0);
  }
  return true;
}

/** The fusable input of sum/avg: an int32/float64 column read in place, without nulls. */
export function plainNumeric(col: Column): Float64Array | Int32Array | undefined {
  if (col.type.kind !== "float64" && col.type.kind !== "int32" && col.type.kind !== "date") return undefined;
  const input = numericInput(col);
  return input.kind !== "none" && input.validity === undefined ? input.values : undefined;
}
