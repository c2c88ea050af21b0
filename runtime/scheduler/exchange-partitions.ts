/**
 * Which reduce partitions of each shuffle a task must be shipped when its fragment renumbers
 * partitions on the way down (UnionExec, CoalescePartitionsExec). A union's output partition p can
 * be partition 0 of its second input, so the task needs that exchange's partition 0, not p.
 * Mirrors the operators' own mapping (runtime/worker/operators/partitions.ts).
 */
import { partitionCount, physicalChildren, type PhysicalPlan } from "../physical/plan.js";

export function exchangePartitions(node: PhysicalPlan, partition: number, numPartitions: number, out = new Map<number, Set<number>>()): Map<number, Set<number>> {
  const need = (id: number, p: number) => {
    let set = out.get(id);
    if (!set) out.set(id, (set = new Set()));
    set.add(p);
  };
  switch (node.kind) {
    case "ShuffleExchangeExec":
      need(node.id, partition);
      return out;
    case "BroadcastExchangeExec":
      return out;
    case "UnionExec": {
      const counts = node.inputs.map((input) => partitionCount(input.outputPartitioning));
      const zip = counts.every((c) => c === numPartitions);
      let offset = 0;
      node.inputs.forEach((child, k) => {
        const count = counts[k]!;
        const local = zip ? partition : partition - offset;
        offset += count;
        if (local >= 0 && local < count) exchangePartitions(child, local, count, out);
      });
      return out;
    }
    case "CoalescePartitionsExec": {
      const m = partitionCount(node.input.outputPartitioning);
      const n = Math.max(1, numPartitions);
      const from = Math.floor((partition * m) / n);
      const to = Math.floor(((partition + 1) * m) / n);
      for (let p = from; p < to; p++) {
        // Over an exchange, the operator reads every shipped block at once.
        if (node.input.kind === "ShuffleExchangeExec") need(node.input.id, p);
        else exchangePartitions(node.input, p, m, out);
      }
      return out;
    }
    default:
      for (const child of physicalChildren(node)) exchangePartitions(child, partition, numPartitions, out);
      return out;
  }
}
