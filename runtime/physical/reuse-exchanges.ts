/**
 * ReuseExchange (Spark's rule of the same name): when the same exchange over the same subtree
 * appears twice (a self-join of an aggregated DataFrame, a union of two uses of one DataFrame),
 * the second occurrence becomes the very same node, id included. The scheduler runs an exchange
 * reached twice once and both consumers read its output; explain prints `ReusedExchange`.
 */
import { withPhysicalChildren } from "./node-ids.js";
import { physicalChildren, type PhysicalPlan } from "./plan.js";
import { isExchange } from "./stages.js";

/** Structure of a subtree without node ids: equal keys compute equal data. */
function structureKey(plan: PhysicalPlan): string {
  return JSON.stringify(plan, (k, v: unknown) => (k === "id" ? undefined : typeof v === "bigint" ? `${v}n` : v));
}

export function reuseExchanges(plan: PhysicalPlan): PhysicalPlan {
  const seen = new Map<string, PhysicalPlan>();
  // Post-order so the first occurrence (leftmost, deepest) is the one kept.
  const visit = (p: PhysicalPlan): PhysicalPlan => {
    const kids = physicalChildren(p);
    const newKids = kids.map(visit);
    const node = newKids.every((k, i) => k === kids[i]) ? p : withPhysicalChildren(p, newKids);
    if (!isExchange(node)) return node;
    const key = structureKey(node);
    const first = seen.get(key);
    if (first) return first;
    seen.set(key, node);
    return node;
  };
  return visit(plan);
}
