/** What the physical planner needs to know about the session and its caches. */
import type { SourceRef } from "../logical/plan.js";

export interface PhysicalPlannerContext {
  /** Partitions after a shuffle (Spark's spark.sql.shuffle.partitions). */
  readonly shufflePartitions: number;
  /** A join side estimated below this many bytes is broadcast; negative disables (default 10 MB). */
  readonly autoBroadcastThreshold: number;
  /** Partitions for sources that do not say (range, generated data). */
  readonly defaultParallelism: number;
  /** The stored partitions of a cache if it has been materialized. */
  cachedSource(cacheId: string): SourceRef | undefined;
}

export const DEFAULT_BROADCAST_THRESHOLD = 10 * 1024 * 1024;

export function plannerContext(overrides: Partial<PhysicalPlannerContext> = {}): PhysicalPlannerContext {
  return {
    shufflePartitions: 8,
    autoBroadcastThreshold: DEFAULT_BROADCAST_THRESHOLD,
    defaultParallelism: 2,
    cachedSource: () => undefined,
    ...overrides,
  };
}
