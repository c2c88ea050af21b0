/** Test helpers: a fake TaskContext over in-memory tables, plan node builders, row conversion. */
import type { Batch } from "../../../runtime/batch/column.js";
import { batchesToRows, rowsToBatches } from "../../../runtime/batch/rows.js";
import type { AggFn, Expr, SortOrder } from "../../../runtime/expr/ir.js";
import type { DataType, Field, Schema } from "../../../runtime/expr/types.js";
import type { AggregateCall, PhysicalPlan } from "../../../runtime/physical/plan.js";
import type { JoinType } from "../../../runtime/logical/plan.js";
import type { MemoryReservation, OperatorMetricsRecorder, TaskContext } from "../../../runtime/worker/task-context.js";
import { executeNode } from "../../../runtime/worker/execute.js";
import { ResourcesExhausted } from "../../../runtime/scheduler/errors.js";
import { mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "../../support/temp-dirs.js";

export type Row = Record<string, unknown>;

export function schemaOf(spec: Record<string, DataType>): Schema {
  return { fields: Object.entries(spec).map(([name, type]): Field => ({ name, type, nullable: true })) };
}

export interface FakeOptions {
  /** table id -> partitions -> batches */
  tables?: Record<string, Batch[][]>;
  exchanges?: Record<number, Batch[]>;
  broadcasts?: Record<number, Batch[]>;
  budget?: number;
  spill?: boolean;
  partition?: number;
  numPartitions?: number;
}

export interface MetricRecord { rowsIn: number; rowsOut: number; batches: number; spillBytes: number }

/** One directory for the spill files of every fake context of the importing test file, removed after its tests. */
const spillRoot = tempDir("kindling-op-test-");

export function fakeContext(opts: FakeOptions = {}): TaskContext & { metricsById: Map<number, MetricRecord> } {
  let total = 0;
  const metricsById = new Map<number, MetricRecord>();
  const ctx = {
    stageId: 1,
    partition: opts.partition ?? 0,
    attempt: 0,
    numPartitions: opts.numPartitions ?? 1,
    spillEnabled: opts.spill ?? false,
    metricsById,
    async *scan(source: { kind: string; id?: string }, partition: number): AsyncIterable<Batch> {
      for (const b of opts.tables?.[source.id ?? ""]?.[partition] ?? []) yield b;
    },
    async *exchangeInput(id: number): AsyncIterable<Batch> {
      for (const b of opts.exchanges?.[id] ?? []) yield b;
    },
    async broadcastInput(id: number): Promise<readonly Batch[]> {
      return opts.broadcasts?.[id] ?? [];
    },
    cached: () => undefined,
    reserve(operator: string): MemoryReservation {
      let reserved = 0;
      return {
        get reserved() { return reserved; },
        tryGrow(bytes: number): boolean {
          if (opts.budget !== undefined && total + bytes > opts.budget) {
            if (!(opts.spill ?? false)) throw new ResourcesExhausted(`ResourcesExhausted: stage 1, partition ${ctx.partition}: ${operator} over ${opts.budget}`);
            return false;
          }
          reserved += bytes; total += bytes; return true;
        },
        shrink(bytes: number): void { const n = Math.min(bytes, reserved); reserved -= n; total -= n; },
      };
    },
    spillDir: async () => mkdtemp(join(spillRoot, "task-")),
    metrics(nodeId: number): OperatorMetricsRecorder {
      const m = metricsById.get(nodeId) ?? { rowsIn: 0, rowsOut: 0, batches: 0, spillBytes: 0 };
      metricsById.set(nodeId, m);
      return {
        addRowsIn: (n) => { m.rowsIn += n; },
        addOutput: (b) => { m.rowsOut += b.length; m.batches++; },
        addTime: () => {},
        addSpill: (n) => { m.spillBytes += n; },
      };
    },
    checkCancelled: () => {},
  };
  return ctx as TaskContext & { metricsById: Map<number, MetricRecord> };
}

let nextId = 100;

/** A scan of table `id` whose partitions are given as row arrays (split into batches of batchSize). */
export function table(id: string, schema: Schema, partitions: Row[][], batchSize = 3): { node: PhysicalPlan; tables: Record<string, Batch[][]> } {
  const node: PhysicalPlan = {
    kind: "ScanExec", id: nextId++, schema, outputPartitioning: { kind: "unknown", n: partitions.length },
    source: { kind: "memory", id, partitions: partitions.length, rows: 0, bytes: 0 }, filters: [],
  };
  return { node, tables: { [id]: partitions.map((rows) => rowsToBatches(rows, schema, batchSize)) } };
}

export const col = (name: string): Expr => ({ kind: "Column", name });
export const lit = (value: number | string | null, type: DataType): Expr => ({ kind: "Literal", value, type });
export const asc = (name: string, nullsFirst = true): SortOrder => ({ expr: col(name), ascending: true, nullsFirst });
export const desc = (name: string, nullsFirst = false): SortOrder => ({ expr: col(name), ascending: false, nullsFirst });

export function agg(fn: AggFn, name: string, args: string[] = [], params?: Record<string, number | boolean>, distinct = false): AggregateCall {
  return { fn, args: args.map(col), distinct, name, ...(params ? { params } : {}) };
}

export function id(): number {
  return nextId++;
}

export async function collect(node: PhysicalPlan, ctx: TaskContext): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of executeNode(node, ctx)) out.push(b);
  return out;
}

export async function rowsOf(node: PhysicalPlan, ctx: TaskContext): Promise<Row[]> {
  return batchesToRows(await collect(node, ctx));
}

/** Order-independent comparison key. */
export function sortRows(rows: Row[]): Row[] {
  const key = (r: Row) => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * Nested-loop join reference with SQL null semantics: keys are [left column, right column] pairs,
 * a null key never matches, outer sides are padded with nulls for every column of the other side.
 */
export function nestedLoopJoinRows(how: JoinType, leftRows: readonly Row[], rightRows: readonly Row[], keys: readonly [string, string][], cond?: (l: Row, r: Row) => boolean): Row[] {
  const nulls = (rows: readonly Row[]): Row => Object.fromEntries(Object.keys(rows[0] ?? {}).map((k) => [k, null]));
  const nullLeft = nulls(leftRows), nullRight = nulls(rightRows);
  const match = (l: Row, r: Row) => keys.every(([a, b]) => l[a] !== null && r[b] !== null && l[a] === r[b]) && (!cond || cond(l, r));
  const out: Row[] = [];
  const rightMatched = new Set<Row>();
  for (const l of leftRows) {
    const ms = rightRows.filter((r) => match(l, r));
    ms.forEach((r) => rightMatched.add(r));
    if (how === "semi") { if (ms.length) out.push(l); continue; }
    if (how === "anti") { if (!ms.length) out.push(l); continue; }
    for (const r of ms) out.push({ ...l, ...r });
    if (!ms.length && (how === "left" || how === "full")) out.push({ ...l, ...nullRight });
  }
  if (how === "right" || how === "full") for (const r of rightRows) if (!rightMatched.has(r)) out.push({ ...nullLeft, ...r });
  return out;
}
