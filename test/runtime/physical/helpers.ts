import type { PhysicalKind, PhysicalPlan } from "../../../runtime/physical/plan.js";
import { walkPhysical } from "../../../runtime/physical/node-ids.js";

export function ofKind<K extends PhysicalKind>(plan: PhysicalPlan, kind: K): (PhysicalPlan & { kind: K })[] {
  return [...walkPhysical(plan)].filter((p): p is PhysicalPlan & { kind: K } => p.kind === kind);
}

export function kinds(plan: PhysicalPlan): PhysicalKind[] {
  return [...walkPhysical(plan)].map((p) => p.kind);
}
