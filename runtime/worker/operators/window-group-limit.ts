/**
 * WindowGroupLimitExec: per group of partitionBy, keeps only the rows a row_number / rank /
 * dense_rank over orderBy could number <= k; a WindowExec and a Filter above compute the exact
 * answer from what is left (see InferWindowGroupLimit).
 *
 * No sort and no per-row objects: rows are buffered until there are a few times as many new rows as
 * kept ones, then the kept rows and the new ones are concatenated into one batch, grouped through
 * KeyTable (dense group ids) and offered to each group's slot array, the k best rows so far
 * kept insertion-sorted by the same row comparator SortExec uses (so nulls first/last, desc,
 * NaN, dictionary or plain strings order exactly as the window's sort will). The survivors are
 * gathered once, in input order, and become the kept rows. Comparing within one concatenated
 * batch keeps the comparator simple and exact; buffering a few times as many new rows as kept ones makes
 * the copying linear in the input.
 *
 * Which rows survive: row_number keeps each group's k slots; rank keeps every row not worse than
 * the k-th best row (ties of the k-th value); dense_rank keeps slots for the k best distinct
 * values and every row not worse than the k-th of them.
 *
 * Memory is reserved for the buffered rows and the slot arrays. Over budget, or with more
 * groups x k slots than MAX_SLOTS, the operator hands on what it holds and lets the rest through
 * unlimited: the Window and Filter above still give the exact answer, only slower.
 */
import type { Batch, Column } from "../../batch/column.js";
import { batchBytes } from "../../batch/buffers.js";
import { concatBatches } from "../../batch/ops/concat.js";
import { KeyTable } from "../../batch/ops/key-table.js";
import { rowComparator } from "../../batch/ops/sort-permutation.js";
import { takeBatch } from "../../batch/ops/take.js";
import type { MemoryReservation } from "../task-context.js";
import { compileExpr, type CompiledExpr } from "./eval.js";
import type { NodeOf, OperatorEnv } from "./env.js";
import { ResourcesExhausted } from "./errors.js";
import { OUTPUT_BATCH_ROWS } from "./hash-aggregate.js";
import { sliceBatch } from "./limit.js";
import { sortKeys } from "./sort.js";
import {
  concatArrays, countFilled, gatherFloats, gatherInts, numericOrderExpr, numericOrderKey, offerRows, offerRowsByKey, renumberSlots, rowsNotWorse,
  rowsNotWorseByKey, slotRows,
} from "./window-group-slots.js";

type LimitNode = NodeOf<"WindowGroupLimitExec">;

/** Buffer at least this many new rows before a selection pass (amortizes the per-pass setup). */
const MIN_PASS_ROWS = 65536;
/** A pass waits for this many times the kept rows (a pass costs O(kept + new)). */
const PASS_GROWTH = 4;
/** Beyond this many group x k slots (64 MiB of int32) the limit lets rows through instead. */
export const MAX_SLOTS = 16 * 1024 * 1024;

export async function* windowGroupLimitExec(node: LimitNode, env: OperatorEnv): AsyncIterable<Batch> {
  const { ctx } = env;
  if (node.k <= 0) return; // rn <= 0 holds for no row
  const limiter = new GroupTopK(node);
  const reservation = ctx.reserve(`WindowGroupLimitExec#${node.id}`);
  try {
    for await (const b of env.input(node.input)) {
      ctx.checkCancelled();
      if (b.length === 0) continue;
      if (limiter.overflowed) { yield b; continue; }
      limiter.push(b);
      if (limiter.overflowed || !resize(reservation, limiter.bytes())) {
        // Hand on what is held (a superset of the answer is still correct above) and stop limiting.
        limiter.overflowed = true;
        for (const held of limiter.drain()) yield* slices(held);
        reservation.shrink(reservation.reserved);
      }
    }
    const kept = limiter.finish();
    if (kept) yield* slices(kept);
  } finally {
    reservation.shrink(reservation.reserved);
  }
}

function* slices(batch: Batch): Iterable<Batch> {
  if (batch.length <= OUTPUT_BATCH_ROWS) { yield batch; return; }
  for (let s = 0; s < batch.length; s += OUTPUT_BATCH_ROWS) yield sliceBatch(batch, s, s + OUTPUT_BATCH_ROWS);
}

/** Sets the reservation to `bytes`; false when the budget says no (spilling off throws inside tryGrow). */
function resize(reservation: MemoryReservation, bytes: number): boolean {
  const delta = bytes - reservation.reserved;
  if (delta <= 0) { reservation.shrink(-delta); return true; }
  try {
    return reservation.tryGrow(delta);
  } catch (e) {
    // This operator only saves work, so running out of budget means "stop limiting", not "fail".
    if (e instanceof ResourcesExhausted) return false;
    throw e;
  }
}

/** The per-group top-k state of one task. */
export class GroupTopK {
  /** Set when the slots would not fit: from then on rows go through unlimited. */
  overflowed = false;
  private kept: Batch | undefined;
  /** Group id of each kept row. */
  private keptIds: Int32Array = new Int32Array(0);
  private keptBytes = 0;
  private pending: Batch[] = [];
  private pendingIds: Int32Array[] = [];
  private pendingRows = 0;
  private pendingBytes = 0;
  private groups: KeyTable | undefined;
  private partitionKeys: CompiledExpr[] | undefined;
  private slots = new Int32Array(0);
  private filled = new Int32Array(0);
  /**
   * Numeric mode (one number-typed order key, no NaN/infinity seen): each row's order as one
   * number (numericOrderKey), the slots' keys beside the slots, no comparator calls. The first
   * batch that cannot be keyed switches to the comparator for good (slots stay valid: both
   * modes keep the same slot rows).
   */
  private numericKey: CompiledExpr | undefined;
  private pendingKeys: Float64Array[] = [];
  /** Keys of the kept rows (rank/dense_rank only: row_number never looks at a kept row again). */
  private keptKeys: Float64Array = new Float64Array(0);
  private slotKeys: Float64Array = new Float64Array(0);

  /** minPassRows: buffered rows that trigger a pass (tests lower it to exercise many passes). */
  constructor(private readonly node: LimitNode, private readonly minPassRows = MIN_PASS_ROWS) {}

  push(batch: Batch): void {
    if (this.pending.length === 0 && !this.kept) this.numericKey = numericOrderExpr(this.node.orderBy, batch.schema);
    this.pending.push(batch);
    this.pendingIds.push(this.groupIds(batch));
    if (this.numericKey) {
      const key = numericOrderKey(this.numericKey, this.node.orderBy[0]!, batch);
      if (key) this.pendingKeys.push(key);
      else this.leaveNumericMode();
    }
    this.pendingRows += batch.length;
    this.pendingBytes += batchBytes(batch) + batch.length * (this.numericKey ? 12 : 4);
    // Each pass copies the kept rows once, so waiting for a few times their number keeps copying linear.
    if (this.pendingRows >= Math.max(this.minPassRows, PASS_GROWTH * (this.kept?.length ?? 0))) this.select();
  }

  /** Bytes held: kept and buffered rows plus the slot arrays. */
  bytes(): number {
    return this.keptBytes + this.pendingBytes + this.slots.byteLength + this.filled.byteLength + this.slotKeys.byteLength;
  }

  /** Everything held, unfiltered since the last pass; the state is emptied. */
  drain(): Batch[] {
    const out = this.kept ? [this.kept, ...this.pending] : this.pending;
    this.kept = undefined;
    this.keptIds = new Int32Array(0);
    this.keptKeys = new Float64Array(0);
    this.pending = [];
    this.pendingIds = [];
    this.pendingKeys = [];
    this.pendingRows = this.pendingBytes = this.keptBytes = 0;
    this.slots = new Int32Array(0);
    this.slotKeys = new Float64Array(0);
    this.filled = new Int32Array(0);
    return out;
  }

  /** The surviving rows of everything pushed (in input order), or undefined if none. */
  finish(): Batch | undefined {
    if (this.pending.length > 0 && !this.overflowed) this.select();
    const out = this.drain();
    return out.length === 0 ? undefined : concatBatches(out, this.node.schema);
  }

  private leaveNumericMode(): void {
    this.numericKey = undefined;
    this.pendingKeys = [];
    this.keptKeys = new Float64Array(0);
    this.slotKeys = new Float64Array(0);
  }

  /**
   * One selection pass over the kept rows followed by the buffered ones. The slots survive the
   * pass (renumbered to the rows' places in the new kept batch), so only the new rows are
   * offered; the kept rows come first, so they also win ties against newer ones.
   */
  private select(): void {
    const keptRows = this.kept?.length ?? 0;
    const parts = this.kept ? [this.kept, ...this.pending] : this.pending;
    const n = keptRows + this.pendingRows;
    // Numeric mode never compares two rows, so it gathers survivors from the parts without
    // first copying every buffered row into one batch.
    const all = this.numericKey ? undefined : concatBatches(parts, this.node.schema);
    const ids = concatArrays([this.keptIds, ...this.pendingIds], n, (m) => new Int32Array(m));
    const groupCount = this.groups!.size;
    const k = this.node.k;
    if (groupCount * k > MAX_SLOTS) { this.overflowed = true; return; }
    this.growSlots(groupCount);
    const distinct = this.node.fn === "dense_rank";
    let keep: Int32Array;
    let allKeys: Float64Array | undefined;
    if (this.numericKey) {
      const fresh = concatArrays(this.pendingKeys, n - keptRows, (m) => new Float64Array(m));
      offerRowsByKey(ids, keptRows, n, k, distinct, fresh, this.slots, this.slotKeys);
      countFilled(this.slotKeys, this.filled, groupCount, k);
      if (this.node.fn === "row_number") keep = slotRows(this.slots, this.filled, groupCount, k, n);
      else {
        allKeys = concatArrays([this.keptKeys, fresh], n, (m) => new Float64Array(m));
        keep = rowsNotWorseByKey(ids, n, k, allKeys, this.slotKeys, this.filled);
      }
    } else {
      const cmp = rowComparator(sortKeys(this.node.orderBy, all!));
      offerRows(ids, keptRows, n, k, distinct, cmp, this.slots, this.filled);
      keep = this.node.fn === "row_number" ? slotRows(this.slots, this.filled, groupCount, k, n) : rowsNotWorse(ids, n, k, cmp, this.slots, this.filled);
    }
    renumberSlots(this.slots, this.filled, groupCount, k, keep, n);
    const everything = keep.length === n;
    this.kept = all ? (everything ? all : takeBatch(all, keep, keep.length, this.node.schema)) : gatherParts(parts, keep, this.node.schema);
    this.keptIds = everything ? ids : gatherInts(ids, keep);
    if (allKeys) this.keptKeys = everything ? allKeys : gatherFloats(allKeys, keep);
    this.keptBytes = batchBytes(this.kept) + this.keptIds.byteLength + this.keptKeys.byteLength;
    this.pending = [];
    this.pendingIds = [];
    this.pendingKeys = [];
    this.pendingRows = this.pendingBytes = 0;
  }

  private growSlots(groupCount: number): void {
    if (this.filled.length >= groupCount) return;
    const k = this.node.k;
    const capacity = Math.min(Math.max(groupCount, this.filled.length * 2, 1024), Math.floor(MAX_SLOTS / k));
    const filled = new Int32Array(capacity);
    const slots = new Int32Array(capacity * k);
    filled.set(this.filled);
    slots.set(this.slots);
    this.filled = filled;
    this.slots = slots;
    if (this.numericKey) {
      // NaN marks an empty slot: no key compares >= NaN, so rows always try to enter it.
      const slotKeys = new Float64Array(capacity * k).fill(Number.NaN);
      slotKeys.set(this.slotKeys);
      this.slotKeys = slotKeys;
    }
  }

  /** Group id of every row of one input batch (dense ids from the task's KeyTable). */
  private groupIds(batch: Batch): Int32Array {
    this.partitionKeys ??= this.node.partitionBy.map((e) => compileExpr(e, batch.schema));
    const cols: Column[] = this.partitionKeys.map((key) => key.evaluate(batch));
    this.groups ??= new KeyTable(cols.map((c) => c.type));
    const ids = new Int32Array(batch.length);
    this.groups.map(cols, batch.length, ids, true);
    return ids;
  }
}

/** Rows `keep` (ascending positions in the concatenation of parts) as one batch. */
function gatherParts(parts: readonly Batch[], keep: Int32Array, schema: Batch["schema"]): Batch {
  const pieces: Batch[] = [];
  let j = 0;
  let offset = 0;
  for (const part of parts) {
    const end = offset + part.length;
    let m = j;
    while (m < keep.length && keep[m]! < end) m++;
    if (m > j) {
      const local = new Int32Array(m - j);
      for (let t = j; t < m; t++) local[t - j] = keep[t]! - offset;
      pieces.push(local.length === part.length ? part : takeBatch(part, local, local.length, schema));
    }
    j = m;
    offset = end;
  }
  return pieces.length === 0 ? takeBatch(parts[0]!, new Int32Array(0), 0, schema) : concatBatches(pieces, schema);
}
