/**
 * When a job may let go of a shuffle's blocks. Without this a job keeps every block of every
 * exchange until it ends, so a big join holds both shuffled sides beside its whole answer.
 *
 * Reduce partition r of exchange x is released once
 *  - every stage that reads x has planned its tasks (adaptive reads are only known at stage start;
 *    one exchange may be read by several stages),
 *  - every task of those stages that reads any piece of r (a skew split reads pieces; a broadcast
 *    switch reads all of x) has succeeded: a failed or retried task still finds its blocks,
 *  - and no map output that a reader produced may need recomputing: a reader that is itself a map
 *    stage of exchange y reruns (reading x again) when a block of y is lost, so x waits until y is
 *    fully released. Broadcast, cache and result readers are collected once and never rerun.
 */
import { partitionCount } from "../physical/plan.js";
import type { Stage } from "./stages.js";

/** Which reduce partitions of which exchanges one task reads. */
export type TaskBlockReads = ReadonlyMap<number, readonly number[]>;

export class ShuffleReleases {
  private readonly reduceCount = new Map<number, number>();
  /** Stages reading the exchange that have not yet planned their tasks. */
  private readonly unplannedReaders = new Map<number, number>();
  /** Per reduce partition: planned reading tasks not yet succeeded. */
  private readonly pending = new Map<number, Int32Array>();
  private readonly released = new Map<number, Uint8Array>();
  private readonly releasedCount = new Map<number, number>();
  /** Exchanges written by map stages that read the key exchange (they may rerun and read it). */
  private readonly dependents = new Map<number, number[]>();
  /** Exchanges the key exchange's map stage reads (rechecked when the key is fully released). */
  private readonly upstream = new Map<number, number[]>();

  constructor(
    stages: readonly Stage[],
    private readonly onRelease: (exchange: number, reduce: number) => void,
  ) {
    for (const s of stages) {
      if (s.output.kind !== "shuffle") continue;
      const x = s.output.exchange.id;
      const n = Math.max(1, partitionCount(s.output.exchange.partitioning));
      this.reduceCount.set(x, n);
      this.pending.set(x, new Int32Array(n));
      this.released.set(x, new Uint8Array(n));
      this.releasedCount.set(x, 0);
      this.upstream.set(x, [...new Set(s.shuffleReads)]);
    }
    for (const s of stages) {
      for (const x of new Set(s.shuffleReads)) {
        this.unplannedReaders.set(x, (this.unplannedReaders.get(x) ?? 0) + 1);
        if (s.output.kind === "shuffle") this.dependents.set(x, [...(this.dependents.get(x) ?? []), s.output.exchange.id]);
      }
    }
  }

  /** Reduce partitions of an exchange (as its stage declared them). */
  reduces(exchange: number): number {
    return this.reduceCount.get(exchange) ?? 0;
  }

  isReleased(exchange: number, reduce: number): boolean {
    return this.released.get(exchange)?.[reduce] === 1;
  }

  /** A reading stage fixed its tasks: one entry per task. Call once per stage, before they run. */
  planned(stage: Stage, tasks: readonly TaskBlockReads[]): void {
    for (const reads of tasks) for (const [x, reduces] of reads) this.adjust(x, reduces, +1);
    for (const x of new Set(stage.shuffleReads)) this.unplannedReaders.set(x, (this.unplannedReaders.get(x) ?? 1) - 1);
    for (const x of new Set(stage.shuffleReads)) this.releaseReady(x);
  }

  /** A planned task succeeded: it never reads these blocks again. */
  succeeded(reads: TaskBlockReads): void {
    for (const [x, reduces] of reads) {
      this.adjust(x, reduces, -1);
      this.releaseReady(x, reduces);
    }
  }

  private adjust(x: number, reduces: readonly number[], delta: number): void {
    const pending = this.pending.get(x);
    if (!pending) return;
    for (const r of new Set(reduces)) if (r >= 0 && r < pending.length) pending[r]! += delta;
  }

  private releaseReady(x: number, only?: readonly number[]): void {
    const pending = this.pending.get(x);
    const released = this.released.get(x);
    if (!pending || !released || (this.unplannedReaders.get(x) ?? 0) > 0) return;
    if (!(this.dependents.get(x) ?? []).every((y) => this.fullyReleased(y))) return;
    const candidates = only ?? Array.from({ length: pending.length }, (_, r) => r);
    let count = this.releasedCount.get(x)!;
    const before = count;
    for (const r of candidates) {
      if (r < 0 || r >= pending.length || released[r] === 1 || pending[r]! > 0) continue;
      released[r] = 1;
      count++;
      this.onRelease(x, r);
    }
    this.releasedCount.set(x, count);
    if (before < pending.length && count === pending.length) for (const u of this.upstream.get(x) ?? []) this.releaseReady(u);
  }

  private fullyReleased(x: number): boolean {
    return this.releasedCount.get(x) === this.reduceCount.get(x);
  }
}
