/**
 * Cuts a physical plan into stages. A stage is the largest fragment that runs without moving data
 * between partitions; it ends where data must be redistributed or shared:
 *   ShuffleExchangeExec    the child runs as a map stage writing partitioned blocks;
 *   BroadcastExchangeExec  the child runs as a stage whose whole output every consumer task reads;
 *   CacheExec (not yet materialized)  the child runs as a stage whose partitions are stored.
 * In the consuming fragment these nodes stay as leaves that read their stage's output through the
 * TaskContext (exchangeInput / broadcastInput / cached).
 */
import type { SourceRef } from "../logical/plan.js";
import type { PhysicalPlan } from "../physical/plan.js";
import { partitionCount, physicalChildren } from "../physical/plan.js";

type NodeOf<K extends PhysicalPlan["kind"]> = Extract<PhysicalPlan, { kind: K }>;

export type StageOutput =
  | { readonly kind: "result" }
  | { readonly kind: "shuffle"; readonly exchange: NodeOf<"ShuffleExchangeExec"> }
  | { readonly kind: "broadcast"; readonly exchange: NodeOf<"BroadcastExchangeExec"> }
  | { readonly kind: "cache"; readonly cache: NodeOf<"CacheExec"> };

export interface Stage {
  readonly id: number;
  /** The plan this stage's tasks run; exchange/cache leaves read other stages' output. */
  readonly fragment: PhysicalPlan;
  readonly numPartitions: number;
  readonly output: StageOutput;
  /** Stages whose output this stage reads (they must finish first). */
  readonly parents: readonly number[];
  /** Physical node ids run by this stage (for metrics and plan views). */
  readonly nodeIds: readonly number[];
  /** Inputs the tasks need, by kind. */
  readonly shuffleReads: readonly number[];
  readonly broadcastReads: readonly number[];
  readonly cacheReads: readonly string[];
  readonly tableReads: readonly (SourceRef & { kind: "memory" })[];
}

/**
 * Stages in an order where every stage comes after its parents; the last one is the result stage.
 * `isCached(id)` tells which CacheExec nodes already hold data (they are leaves, not boundaries).
 */
export function cutStages(plan: PhysicalPlan, isCached: (cacheId: string) => boolean): Stage[] {
  const stages: Stage[] = [];
  // An exchange or cache node reached twice (a shared subtree) runs once.
  const producerOf = new Map<string, number>();

  const build = (fragment: PhysicalPlan, output: StageOutput): number => {
    const parents = new Set<number>();
    // A producer stage owns the node whose output it writes (as in physical/stages.ts stagesOf).
    const nodeIds: number[] = output.kind === "shuffle" || output.kind === "broadcast" ? [output.exchange.id] : output.kind === "cache" ? [output.cache.id] : [];
    const shuffleReads: number[] = [];
    const broadcastReads: number[] = [];
    const cacheReads: string[] = [];
    const tableReads = new Map<string, SourceRef & { kind: "memory" }>();
    const producer = (key: string, make: () => number): void => {
      let id = producerOf.get(key);
      if (id === undefined) {
        id = make();
        producerOf.set(key, id);
      }
      parents.add(id);
    };
    const visit = (node: PhysicalPlan): void => {
      {
        if (node.kind === "ShuffleExchangeExec") {
          shuffleReads.push(node.id);
          producer(`x${node.id}`, () => build(node.input, { kind: "shuffle", exchange: node }));
          return;
        }
        if (node.kind === "BroadcastExchangeExec") {
          broadcastReads.push(node.id);
          producer(`x${node.id}`, () => build(node.input, { kind: "broadcast", exchange: node }));
          return;
        }
        if (node.kind === "CacheExec") {
          cacheReads.push(node.cacheId);
          if (!isCached(node.cacheId)) producer(`c${node.cacheId}`, () => build(node.input, { kind: "cache", cache: node }));
          return;
        }
      }
      nodeIds.push(node.id);
      if (node.kind === "ScanExec" && node.source.kind === "memory") tableReads.set(node.source.id, node.source);
      for (const child of physicalChildren(node)) visit(child);
    };
    // A fragment whose root is itself an exchange or cache just reads that input.
    visit(fragment);
    if (!nodeIds.includes(fragment.id) && nodeIds.length === 0) nodeIds.push(fragment.id);
    const stage: Stage = {
      id: stages.length,
      fragment,
      numPartitions: Math.max(1, partitionCount(fragment.outputPartitioning)),
      output,
      parents: [...parents],
      nodeIds,
      shuffleReads,
      broadcastReads,
      cacheReads,
      tableReads: [...tableReads.values()],
    };
    stages.push(stage);
    return stage.id;
  };

  build(plan, { kind: "result" });
  return stages;
}
