/**
 * optimize(): runs the ordered rule list over an analyzed plan until nothing changes (or
 * maxPasses), checking the plan invariants after every rule application.
 */
import type { LogicalPlan } from "../logical/plan.js";
import { checkInvariants } from "./invariants.js";
import { deepEqual } from "./plan-utils.js";
import type { OptimizerContext, OptimizerRule } from "./rule.js";
import { defaultRules } from "./rules.js";

export type { OptimizerContext, OptimizerRule } from "./rule.js";
export { OptimizerInvariantError } from "./invariants.js";
export { defaultRules } from "./rules.js";

export interface OptimizeResult {
  readonly plan: LogicalPlan;
  /** One entry per rule application, in order (rules repeat once per pass). */
  readonly trace: readonly { readonly rule: string; readonly changed: boolean }[];
}

const DEFAULT_MAX_PASSES = 10;

export function optimize(plan: LogicalPlan, ctx: OptimizerContext = {}, rules: readonly OptimizerRule[] = defaultRules): OptimizeResult {
  const maxPasses = ctx.maxPasses ?? DEFAULT_MAX_PASSES;
  const disabled = new Set(ctx.disabledRules ?? []);
  const active = rules.filter((r) => !disabled.has(r.name));
  const trace: { rule: string; changed: boolean }[] = [];
  let current = plan;
  for (let pass = 0; pass < maxPasses; pass++) {
    let passChanged = false;
    for (const rule of active) {
      const next = rule.apply(current, ctx);
      const changed = !deepEqual(next, current);
      trace.push({ rule: rule.name, changed });
      if (!changed) continue;
      checkInvariants(rule.name, current, next);
      current = next;
      passChanged = true;
    }
    if (!passChanged) break;
  }
  return { plan: current, trace };
}
