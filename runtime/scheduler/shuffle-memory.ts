/**
 * How many bytes of shuffle blocks may stay in shared memory; the rest goes to disk.
 *
 * Every map task asks for a grant before it runs: the bytes of its blocks it may keep in shared
 * memory. Blocks past the grant are written to a file in the job's temp directory and read back
 * by the reduce tasks (runtime/shuffle/partitioner.ts). Two things limit a grant:
 *  - the limit: the engine's shuffle blocks in memory at once, over all jobs (default a quarter of
 *    the machine's memory), minus what earlier map tasks kept and what running ones were granted;
 *  - the machine: while it has less than `minAvailable` bytes free, grants are 0. A join of two
 *    tables that barely fit, with an answer as big as they are, spills instead of being killed.
 * Spark writes every shuffle block to disk; keeping the first ones in memory is what makes small
 * and medium shuffles (nearly all of them in a notebook) cost no I/O at all.
 */
import { totalmem, freemem } from "node:os";

export interface ShuffleMemoryOptions {
  /** Bytes of blocks kept in memory at once; Infinity keeps them all (never spill). */
  readonly limit: number;
  /** Grants are 0 while the machine has fewer bytes than this available. */
  readonly minAvailable: number;
  /** Map tasks that may run at once (one grant each is at most limit / workers). */
  readonly workers: number;
  /** Bytes available on the machine now (default: what the OS and any cgroup limit say). */
  readonly available?: () => number;
}

/** The machine's memory, or the process's cgroup limit when lower. */
export function machineMemory(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const total = totalmem();
  return constrained !== undefined && constrained > 0 && constrained < total ? constrained : total;
}

export function availableMemory(): number {
  const f = (process as { availableMemory?: () => number }).availableMemory;
  return typeof f === "function" ? f.call(process) : freemem();
}

/** Default limit: a quarter of the machine's memory. */
export function defaultShuffleMemory(): number {
  return Math.floor(machineMemory() / 4);
}

/** Default floor of free memory below which every block spills: 15% of the machine, at least 1 GiB. */
export function defaultMinAvailable(): number {
  return Math.max(2 ** 30, Math.floor(machineMemory() * 0.15));
}

export class ShuffleMemory {
  private kept = 0;
  private granted = 0;
  private readonly available: () => number;

  constructor(private readonly options: ShuffleMemoryOptions) {
    this.available = options.available ?? availableMemory;
  }

  /** True when no map task ever spills (no limit and no floor): tasks need no grant. */
  get unlimited(): boolean {
    return this.options.limit === Infinity && this.options.minAvailable <= 0;
  }

  /** Bytes of blocks in shared memory now (kept by finished map tasks and not yet released). */
  get inMemory(): number {
    return this.kept;
  }

  /** A grant for one map task; pass it back to settle() when the task ends, however it ends. */
  grant(): number {
    const { limit, minAvailable, workers } = this.options;
    const underLimit = limit - this.kept - this.granted;
    const machineRoom = minAvailable > 0 ? this.available() - minAvailable - this.granted : Infinity;
    const perTask = limit === Infinity ? Infinity : limit / Math.max(1, workers);
    const g = Math.max(0, Math.floor(Math.min(underLimit, machineRoom, perTask)));
    // A grant of Infinity cannot be summed; unlimited tasks are not counted.
    if (Number.isFinite(g)) this.granted += g;
    return g;
  }

  settle(grant: number): void {
    if (Number.isFinite(grant)) this.granted = Math.max(0, this.granted - grant);
  }

  /** Blocks of this many bytes now sit in shared memory. */
  add(bytes: number): void {
    this.kept += bytes;
  }

  /** Blocks of this many bytes left shared memory (released, replaced or their job ended). */
  remove(bytes: number): void {
    this.kept = Math.max(0, this.kept - bytes);
  }
}
