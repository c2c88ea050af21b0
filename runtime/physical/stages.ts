/**
 * Cuts a physical plan into stages at exchanges (Spark's DAGScheduler / Ballista's stage split).
 * A map stage is rooted at a ShuffleExchangeExec or BroadcastExchangeExec: it runs the exchange's
 * subtree and writes the exchange's output; the stage above reads it. The last stage is the
 * result stage, rooted at the plan root. Stages come in dependency order (parents first), and an
 * exchange node reachable twice (a reused exchange) is one stage. Pure: no scheduling state.
 */
import { partitionCount, physicalChildren, type PhysicalPlan } from "./plan.js";

export interface StageInfo {
  readonly stageId: number;
  readonly kind: "shuffleMap" | "broadcast" | "result";
  /** The node whose output this stage produces (the exchange for map stages). */
  readonly rootId: number;
  /** Physical node ids that run in this stage (its exchange included for map stages). */
  readonly nodeIds: readonly number[];
  /** Stages whose output this stage reads. */
  readonly parents: readonly number[];
  /** One task per partition of the data this stage computes. */
  readonly numTasks: number;
}

export function isExchange(p: PhysicalPlan): boolean {
  return p.kind === "ShuffleExchangeExec" || p.kind === "BroadcastExchangeExec";
}

export function stagesOf(plan: PhysicalPlan): StageInfo[] {
  const stages: StageInfo[] = [];
  const stageOfExchange = new Map<number, number>();

  const build = (root: PhysicalPlan, kind: StageInfo["kind"]): number => {
    const nodeIds: number[] = [];
    const parents: number[] = [];
    const visit = (p: PhysicalPlan, isRoot: boolean): void => {
      if (!isRoot && isExchange(p)) {
        const known = stageOfExchange.get(p.id);
        const parent = known ?? build(p, p.kind === "BroadcastExchangeExec" ? "broadcast" : "shuffleMap");
        if (!parents.includes(parent)) parents.push(parent);
        return;
      }
      nodeIds.push(p.id);
      for (const c of physicalChildren(p)) visit(c, false);
    };
    visit(root, true);
    const computed = kind === "result" ? root : physicalChildren(root)[0]!;
    const stageId = stages.length;
    stages.push({ stageId, kind, rootId: root.id, nodeIds, parents, numTasks: partitionCount(computed.outputPartitioning) });
    if (kind !== "result") stageOfExchange.set(root.id, stageId);
    return stageId;
  };

  build(plan, "result");
  return stages;
}

/** Stage id of every node (exchange nodes belong to the map stage that writes them). */
export function stageOfNode(stages: readonly StageInfo[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of stages) for (const id of s.nodeIds) out.set(id, s.stageId);
  return out;
}
