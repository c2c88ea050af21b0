/**
 * The session: configuration, temp views, in-memory tables and the execution engine. One shared
 * session per process (getOrCreate, like SparkSession.builder.getOrCreate()): `session()` anywhere
 * returns the same one until `stop()`. The engine (worker pool) starts with the first action, so
 * cells that only build and explain plans start no threads.
 */
import os from "node:os";
import { stat } from "node:fs/promises";
import * as arrow from "apache-arrow";
import { schemaFromArrow, arrowToBatches } from "../batch/arrow.js";
import { batchBytes } from "../batch/buffers.js";
import type { Batch } from "../batch/column.js";
import { rowsToBatches } from "../batch/rows.js";
import type { Schema } from "../expr/types.js";
import { openArrowIpc } from "../io/arrow-ipc.js";
import { AnalysisError } from "../logical/errors.js";
import { buildSubqueryAlias } from "../logical/build-basic.js";
import type { LogicalPlan, SourceRef } from "../logical/plan.js";
import type { EngineEvent, JobMetrics } from "../metrics/events.js";
import type { PhysicalPlan } from "../physical/plan.js";
import type { ExecutionEngine, RunResult } from "../scheduler/contract.js";
import { backend } from "./backend.js";
import { DataFrame } from "./dataframe.js";
import { inferSchema, schemaFromSpec, type SchemaSpec } from "./schema-inference.js";
import { didYouMean } from "../logical/suggest.js";
import { validateSessionOptions } from "./session-options.js";

export interface SessionOptions {
  /** Worker threads for tasks; default: the machine's available parallelism. */
  readonly workers?: number;
  /** Partitions after a shuffle (joins, aggregations); default 4 x workers. */
  readonly shufflePartitions?: number;
  /** Per-worker memory budget in bytes before operators spill. */
  readonly memoryBudget?: number;
  /**
   * Bytes of shuffle blocks kept in memory before map tasks write the rest to disk; default a
   * quarter of the machine's memory (and blocks also go to disk while the machine runs low).
   */
  readonly shuffleMemory?: number;
  /** Join sides estimated below this many bytes are broadcast; default 10 MB; -1 disables. */
  readonly autoBroadcastThreshold?: number;
}

export interface SessionConfig {
  readonly workers: number;
  readonly shufflePartitions: number;
  readonly memoryBudget: number | undefined;
  readonly shuffleMemory: number | undefined;
  readonly autoBroadcastThreshold: number;
}

interface PendingTable {
  readonly batches: readonly Batch[];
  readonly schema: Schema;
  readonly partitions: number;
}

let active: Session | undefined;
let nextTableId = 1;

/**
 * A notebook interrupt must stop running jobs, but runtime/ never imports the kernel. The kernel
 * keeps a Set of cancel hooks at a well-known global (docs/kernel.md); we add ours to it, and also
 * expose a plain function for other hosts. Both are no-ops when no session exists.
 */
const cancelRunning = (): void => active?.cancelAll();
const globals = globalThis as Record<symbol, unknown>;
globals[Symbol.for("kindling.cancelRunningJobs")] = cancelRunning;
const kernelHooks = globals[Symbol.for("kindling.cancelHooks")];
if (kernelHooks instanceof Set) (kernelHooks as Set<() => void>).add(cancelRunning);

/** The shared session; options given when it already exists update shufflePartitions/autoBroadcastThreshold. */
export function session(options: SessionOptions = {}): Session {
  if (active && !active.stopped) {
    active.configure(options);
    return active;
  }
  active = new Session(options);
  return active;
}

export class Session {
  private conf: SessionConfig;
  private readonly views = new Map<string, LogicalPlan>();
  /** Tables created here but not yet handed to the engine (that happens at the first action). */
  private readonly pending = new Map<string, PendingTable>();
  private readonly registered = new Map<string, SourceRef & { kind: "memory" }>();
  private readonly loading = new Map<string, Promise<SourceRef & { kind: "memory" }>>();
  private enginePromise: Promise<ExecutionEngine> | undefined;
  private engineRef: ExecutionEngine | undefined;
  private cacheCounter = 0;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private readonly running = new Set<AbortController>();
  /** Metrics of the last job this session ran. */
  lastMetrics: JobMetrics | undefined;
  stopped = false;

  constructor(options: SessionOptions = {}) {
    validateSessionOptions(options);
    const workers = Math.max(1, Math.floor(options.workers ?? os.availableParallelism()));
    this.conf = {
      workers,
      shufflePartitions: options.shufflePartitions ?? 4 * workers,
      memoryBudget: options.memoryBudget,
      shuffleMemory: options.shuffleMemory,
      autoBroadcastThreshold: options.autoBroadcastThreshold ?? 10 * 1024 * 1024,
    };
  }

  get config(): SessionConfig {
    return this.conf;
  }

  /** Runtime settings that can change on a live session (workers and memory are fixed when the pool starts). */
  configure(options: SessionOptions): void {
    validateSessionOptions(options);
    if (options.workers !== undefined && Math.floor(options.workers) !== this.conf.workers) {
      console.warn(`session(): workers is fixed once the session exists (${this.conf.workers}); call await session().stop() first to change it`);
    }
    for (const name of ["memoryBudget", "shuffleMemory"] as const) {
      if (options[name] !== undefined && options[name] !== this.conf[name]) {
        console.warn(`session(): ${name} is fixed once the session exists (${this.conf[name] ?? "default"}); call await session().stop() first to change it`);
      }
    }
    this.conf = {
      ...this.conf,
      ...(options.shufflePartitions !== undefined ? { shufflePartitions: options.shufflePartitions } : {}),
      ...(options.autoBroadcastThreshold !== undefined ? { autoBroadcastThreshold: options.autoBroadcastThreshold } : {}),
    };
  }

  /** Readers: Arrow IPC today (read.arrow); CSV, Parquet and JSON arrive with the I/O work and explain that meanwhile. */
  readonly read: PendingReader = new PendingReader(this);

  /** ids 0..n-1 (or start..end by step) as one int64 column `id`. */
  range(startOrEnd: number | bigint, end?: number | bigint, step: number | bigint = 1, partitions?: number): DataFrame {
    const [s, e] = end === undefined ? [0n, BigInt(startOrEnd)] : [BigInt(startOrEnd), BigInt(end)];
    const st = BigInt(step);
    if (st === 0n) throw new AnalysisError("range(): step must not be 0");
    const source: SourceRef = { kind: "range", start: s, end: e, step: st, partitions: partitions ?? this.conf.workers };
    const schema: Schema = { fields: [{ name: "id", type: { kind: "int64" }, nullable: false }] };
    return new DataFrame(this, { kind: "Scan", source, filters: [], schema });
  }

  /**
   * A DataFrame from JS rows (schema inferred, or given as `{ col: "type" }`) or an Arrow Table.
   * Values are checked now, so a bad value fails on this line with its row and column.
   */
  createDataFrame(data: readonly Readonly<Record<string, unknown>>[] | arrow.Table, schema?: SchemaSpec): DataFrame;
  /** Spark's tuple form: rows as arrays plus the column names, types inferred: createDataFrame([[1, "a"]], ["id", "name"]). */
  createDataFrame(data: readonly (readonly unknown[])[], columns: readonly string[]): DataFrame;
  createDataFrame(
    input: readonly Readonly<Record<string, unknown>>[] | readonly (readonly unknown[])[] | arrow.Table,
    schemaOrColumns?: SchemaSpec | readonly string[],
  ): DataFrame {
    let data: readonly Readonly<Record<string, unknown>>[] | arrow.Table;
    let schema: SchemaSpec | undefined;
    if (Array.isArray(schemaOrColumns)) {
      const columns = schemaOrColumns as readonly string[];
      data = (input as readonly (readonly unknown[])[]).map((row, r) => {
        if (!Array.isArray(row) || row.length !== columns.length) {
          throw new AnalysisError(`createDataFrame(): row ${r} should be an array of ${columns.length} values (${columns.join(", ")})`);
        }
        return Object.fromEntries(columns.map((c, i) => [c, row[i]]));
      });
    } else {
      data = input as readonly Readonly<Record<string, unknown>>[] | arrow.Table;
      schema = schemaOrColumns as SchemaSpec | undefined;
    }
    let batches: Batch[];
    let resolved: Schema;
    if (data instanceof arrow.Table) {
      resolved = schemaFromArrow(data.schema);
      batches = arrowToBatches(data);
    } else {
      if (!Array.isArray(data)) throw new AnalysisError("createDataFrame() takes an array of row objects or an Arrow Table");
      resolved = schema ? schemaFromSpec(schema) : inferSchema(data);
      try {
        batches = rowsToBatches(data as readonly Record<string, unknown>[], resolved);
      } catch (e) {
        throw new AnalysisError(`createDataFrame(): ${(e as Error).message}`);
      }
    }
    const rows = batches.reduce((n, b) => n + b.length, 0);
    const partitions = Math.max(1, Math.min(this.conf.workers, rows));
    const id = `local-${nextTableId++}`;
    this.pending.set(id, { batches, schema: resolved, partitions });
    const bytes = batches.reduce((n, b) => n + batchBytes(b), 0);
    const source: SourceRef = { kind: "memory", id, partitions, rows, bytes };
    return new DataFrame(this, { kind: "Scan", source, filters: [], schema: resolved });
  }

  /** A temp view registered with df.createOrReplaceTempView(name). */
  table(name: string): DataFrame {
    const plan = this.views.get(name);
    if (!plan) {
      const known = [...this.views.keys()];
      throw new AnalysisError(`Table "${name}" not found;${didYouMean(name, known) || ` registered views: ${known.join(", ") || "none"}.`} Register one with df.createOrReplaceTempView("${name}")`);
    }
    return new DataFrame(this, buildSubqueryAlias(plan, name));
  }

  registerView(name: string, plan: LogicalPlan): void {
    this.views.set(name, plan);
  }

  listTables(): string[] {
    return [...this.views.keys()];
  }

  newCacheId(): string {
    return `cache-${++this.cacheCounter}`;
  }

  /** The engine, started on first use. */
  engine(): Promise<ExecutionEngine> {
    if (this.stopped) return Promise.reject(new Error("This session was stopped; call session() for a new one"));
    if (!this.enginePromise) {
      const options = { workers: this.conf.workers, spill: true, ...(this.conf.memoryBudget !== undefined ? { memoryBudget: this.conf.memoryBudget } : {}), ...(this.conf.shuffleMemory !== undefined ? { shuffleMemory: this.conf.shuffleMemory } : {}) };
      this.enginePromise = Promise.resolve().then(() => {
        const engine = backend.createEngine(options);
        this.engineRef = engine;
        return engine;
      });
    }
    return this.enginePromise;
  }

  /** Runs a physical plan; progress events go to every onEvent listener. Rejects when cancelled. */
  async execute(plan: PhysicalPlan, description: string): Promise<RunResult> {
    const engine = await this.engine();
    const controller = new AbortController();
    this.running.add(controller);
    try {
      const result = await engine.run(plan, {
        signal: controller.signal,
        description,
        autoBroadcastThreshold: this.conf.autoBroadcastThreshold,
        onEvent: (event) => this.listeners.forEach((l) => l(event)),
      });
      this.lastMetrics = result.metrics;
      return result;
    } finally {
      this.running.delete(controller);
    }
  }

  /** Subscribes to engine events (job/stage/task progress); returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Cancels every running job (a notebook interrupt); their actions reject with the engine's Interrupted error. */
  cancelAll(): void {
    for (const c of this.running) c.abort();
  }

  /** A materialized cache's source, if the engine has it (the planner reads cached data instead of recomputing). */
  cachedSource(cacheId: string): (SourceRef & { kind: "memory" }) | undefined {
    return this.engineRef?.cachedSource(cacheId);
  }

  async dropCache(cacheId: string): Promise<void> {
    await this.engineRef?.dropCache(cacheId);
  }

  /** Memory sources of `plan` as the engine knows them (tables created here are handed over on first use). */
  async bindSources(plan: LogicalPlan): Promise<LogicalPlan> {
    const engine = await this.engine();
    const ids = new Set<string>();
    mapScans(plan, (scan) => {
      if (scan.source.kind === "memory" && this.pending.has(scan.source.id)) ids.add(scan.source.id);
      return scan;
    });
    for (const id of ids) {
      const table = this.pending.get(id);
      if (!table) continue;
      // Two actions at once on a new table share one registration.
      let loading = this.loading.get(id);
      if (!loading) {
        // loadTable encodes strings in the workers; the batches stay the caller's (copied, not moved).
        loading = engine.loadTable
          ? engine.loadTable(table.batches, table.schema, { partitions: table.partitions })
          : Promise.resolve(engine.registerTable(table.batches, table.schema, { partitions: table.partitions }));
        this.loading.set(id, loading);
      }
      try {
        const ref = await loading;
        this.registered.set(id, ref);
        this.pending.delete(id);
      } finally {
        this.loading.delete(id);
      }
    }
    const bind = (source: SourceRef): SourceRef => (source.kind === "memory" ? this.registered.get(source.id) ?? source : source);
    return mapScans(plan, (scan) => ({ ...scan, source: bind(scan.source) }));
  }

  /**
   * Reads an Arrow IPC file (or stream) straight into the engine's shared memory, record batch by
   * record batch: the driver never holds an Arrow table beside its copy, and string columns are
   * dictionary-encoded by the workers in parallel. Eager (the data is loaded when the promise
   * resolves), like Polars' readIPC; `s.read.arrow(path)` is the same call.
   */
  async readArrow(path: string, options: ReadArrowOptions = {}): Promise<DataFrame> {
    const file = await openArrowIpc(path);
    const engine = await this.engine();
    const partitions = options.partitions !== undefined && options.partitions >= 1
      ? Math.floor(options.partitions)
      : partitionsForFile((await stat(path)).size, this.conf.workers);
    const ref = engine.loadTable
      ? await engine.loadTable(file.batches, file.schema, { partitions })
      : engine.registerTable(await collectBatches(file.batches), file.schema, { partitions });
    return new DataFrame(this, { kind: "Scan", source: ref, filters: [], schema: file.schema });
  }

  /** Stops the worker pool; the next session() call creates a fresh session. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (active === this) active = undefined;
    this.cancelAll();
    const engine = this.enginePromise;
    this.enginePromise = undefined;
    this.engineRef = undefined;
    if (engine) await (await engine.catch(() => undefined))?.stop();
  }
}

/**
 * The DataFrameReader: `arrow(path)` reads an Arrow IPC file (Session.readArrow); the other formats
 * arrive with the I/O work, and until then calling one explains what to do instead (touching
 * `s.read` is harmless: tools that list properties do).
 */
export class PendingReader {
  constructor(private readonly owner: Session) {}
  private unavailable(format: string): never {
    throw new Error(`session.read.${format}(): readers arrive with the I/O work; until then load rows yourself and call createDataFrame(rows)`);
  }
  csv(_path: string, _options?: Record<string, unknown>): never { return this.unavailable("csv"); }
  json(_path: string, _options?: Record<string, unknown>): never { return this.unavailable("json"); }
  parquet(_path: string, _options?: Record<string, unknown>): never { return this.unavailable("parquet"); }
  /** Reads an Arrow IPC file into the engine (eager): `const df = await s.read.arrow("data/x.arrow")`. */
  arrow(path: string, options?: ReadArrowOptions): Promise<DataFrame> { return this.owner.readArrow(path, options); }
}

export interface ReadArrowOptions {
  /** Partitions (tasks per scan) of the loaded table; default: one per 512 MiB of file, at least one per worker. */
  readonly partitions?: number;
}

/** Bytes of file per partition by default: Spark cuts files into 128 MiB splits; our rows are denser to hold. */
const FILE_BYTES_PER_PARTITION = 512 * 1024 * 1024;

/**
 * One partition per 512 MiB, rounded up to a multiple of the workers (no half-empty last wave). A
 * map task holds its partition's shuffle output while it writes it, so a 5 GB table in two
 * partitions would hold ~2.5 GB per worker at once; at 1e8 rows that is what ran out of memory.
 */
export function partitionsForFile(bytes: number, workers: number): number {
  const w = Math.max(1, workers);
  return Math.max(1, Math.ceil(bytes / FILE_BYTES_PER_PARTITION / w)) * w;
}

async function collectBatches(batches: AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

function mapScans(plan: LogicalPlan, fn: (scan: LogicalPlan & { kind: "Scan" }) => LogicalPlan): LogicalPlan {
  switch (plan.kind) {
    case "Scan": return fn(plan);
    case "Join": return { ...plan, left: mapScans(plan.left, fn), right: mapScans(plan.right, fn) };
    case "Union": return { ...plan, inputs: plan.inputs.map((p) => mapScans(p, fn)) };
    default: return { ...plan, input: mapScans(plan.input, fn) } as LogicalPlan;
  }
}
