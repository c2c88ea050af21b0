/**
 * optimize(): runs the ordered rule list over an analyzed plan until nothing changes (or
 * maxPasses), checking the plan invariants after every rule application.
 */
import type { LogicalPlan } from "../logical/plan.js";
import { checkInvariants, OptimizerInvariantError } from "./invariants.js";
import { deepEqual } from "./plan-utils.js";
import type { OptimizerContext, OptimizerRule } from "./rule.js";
import { defaultRules } from "./rules.js";

export type { OptimizerContext, OptimizerRule } from "./rule.js";
export { OptimizerInvariantError } from "./invariants.js";
export { defaultRules } from "./rules.js";

export interface TraceEntry {
  readonly rule: string;
  readonly changed: boolean;
  /** Set when the rule failed and was skipped (ctx.skipFailedRules). */
  readonly error?: string;
}

export interface OptimizeResult {
  readonly plan: LogicalPlan;
  /** One entry per rule application, in order (rules repeat once per pass). */
  readonly trace: readonly TraceEntry[];
}

const DEFAULT_MAX_PASSES = 10;

export function optimize(plan: LogicalPlan, ctx: OptimizerContext = {}, rules: readonly OptimizerRule[] = defaultRules): OptimizeResult {
  const maxPasses = ctx.maxPasses ?? DEFAULT_MAX_PASSES;
  const disabled = new Set(ctx.disabledRules ?? []);
  const active = rules.filter((r) => !disabled.has(r.name));
  const trace: TraceEntry[] = [];
  let current = plan;
  for (let pass = 0; pass < maxPasses; pass++) {
    let passChanged = false;
    for (const rule of active) {
      let next: LogicalPlan;
      let changed: boolean;
      try {
        next = rule.apply(current, ctx);
        changed = !deepEqual(next, current);
        if (changed) checkInvariants(rule.name, current, next);
      } catch (error) {
        if (!ctx.skipFailedRules) throw error instanceof OptimizerInvariantError ? error : new OptimizerInvariantError(rule.name, `it threw ${String(error)}`);
        trace.push({ rule: rule.name, changed: false, error: error instanceof Error ? error.message : String(error) });
        continue;
      }
      trace.push({ rule: rule.name, changed });
      if (!changed) continue;
      current = next;
      passChanged = true;
    }
    if (!passChanged) break;
  }
  return { plan: current, trace };
}
