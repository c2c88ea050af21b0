/**
 * Adaptive broadcast switch (Spark AQE's "demote shuffled join to broadcast"): when a reduce stage
 * runs a partitioned hash join and, after its map stages ran, one side's real shuffle output is
 * under autoBroadcastThreshold, every task reads that side whole (all map outputs, all reduce
 * partitions) as its build table, while the other side keeps its partitioning. Each probe row
 * then still meets every matching build row exactly once, so the answer is unchanged.
 *
 * Only sides whose rows may repeat in every task are replicated: inner builds either side,
 * left/semi/anti build the right, right builds the left, full never (its unmatched build rows
 * would repeat). Above the join the output keeps the probe side's partitioning, so a final
 * aggregate or a second co-partitioned join in the same stage stays correct.
 */
import type { PhysicalPlan } from "../physical/plan.js";
import { physicalChildren } from "../physical/plan.js";
import { withPhysicalChildren } from "../physical/node-ids.js";
import { formatBytes } from "./errors.js";

type JoinNode = Extract<PhysicalPlan, { kind: "HashJoinExec" }>;

export interface BroadcastSwitch {
  /** The stage fragment with the switched joins in broadcast mode, building the small side. */
  readonly fragment: PhysicalPlan;
  /** Exchanges every task reads whole (all maps, all reduce partitions). */
  readonly wholeExchanges: ReadonlySet<number>;
}

/** Which sides a join of this type may build from a copy shared by every task. */
export function replicableSides(how: JoinNode["how"]): readonly ("left" | "right")[] {
  switch (how) {
    case "inner":
      return ["right", "left"];
    case "left":
    case "semi":
    case "anti":
      return ["right"];
    case "right":
      return ["left"];
    default:
      return [];
  }
}

/** How often each shuffle exchange is read in the fragment (not looking into map-side subtrees). */
function exchangeUses(node: PhysicalPlan, uses: Map<number, number>): Map<number, number> {
  if (node.kind === "ShuffleExchangeExec") {
    uses.set(node.id, (uses.get(node.id) ?? 0) + 1);
    return uses;
  }
  if (node.kind === "BroadcastExchangeExec") return uses;
  for (const c of physicalChildren(node)) exchangeUses(c, uses);
  return uses;
}

/** Operators that pick their input partitions by number; a replicated side below them is not safe to reason about. */
function renumbers(node: PhysicalPlan): boolean {
  if (node.kind === "UnionExec" || node.kind === "CoalescePartitionsExec") return true;
  if (node.kind === "ShuffleExchangeExec" || node.kind === "BroadcastExchangeExec") return false;
  return physicalChildren(node).some(renumbers);
}

/**
 * Rewrites the stage's partitioned hash joins whose small side (by `totalBytes`, the real bytes the
 * exchange's map tasks wrote) is under `threshold`; undefined when no join switches. `notes`
 * receives the decisions in words.
 */
export function planBroadcastSwitch(
  fragment: PhysicalPlan,
  totalBytes: (exchangeId: number) => number | undefined,
  threshold: number,
  notes: string[],
): BroadcastSwitch | undefined {
  if (!(threshold > 0) || renumbers(fragment)) return undefined;
  const uses = exchangeUses(fragment, new Map());
  const whole = new Set<number>();

  const rewrite = (node: PhysicalPlan): PhysicalPlan => {
    if (node.kind === "ShuffleExchangeExec" || node.kind === "BroadcastExchangeExec") return node;
    const kids = physicalChildren(node);
    const newKids = kids.map(rewrite);
    const rebuilt = newKids.some((k, i) => k !== kids[i]) ? withPhysicalChildren(node, newKids) : node;
    if (rebuilt.kind !== "HashJoinExec") return rebuilt;
    return switchJoin(rebuilt) ?? rebuilt;
  };

  const switchJoin = (join: JoinNode): JoinNode | undefined => {
    if (join.mode !== "partitioned" || join.leftKeys.length === 0) return undefined;
    const { left, right } = join;
    if (left.kind !== "ShuffleExchangeExec" || right.kind !== "ShuffleExchangeExec") return undefined;
    let best: { side: "left" | "right"; bytes: number } | undefined;
    for (const side of replicableSides(join.how)) {
      const x = side === "left" ? left : right;
      const bytes = totalBytes(x.id);
      // An exchange read twice in the stage would also be read whole by its other reader.
      if (bytes === undefined || bytes >= threshold || uses.get(x.id) !== 1) continue;
      if (!best || bytes < best.bytes) best = { side, bytes };
    }
    if (!best) return undefined;
    whole.add((best.side === "left" ? left : right).id);
    notes.push(`switched join #${join.id} to broadcast: ${best.side} side ${best.bytes} bytes (${formatBytes(best.bytes)}) < threshold ${formatBytes(threshold)}`);
    return { ...join, mode: "broadcast", buildSide: best.side };
  };

  const out = rewrite(fragment);
  return whole.size > 0 ? { fragment: out, wholeExchanges: whole } : undefined;
}
