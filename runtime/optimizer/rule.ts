/**
 * An optimizer rule: a pure rewrite of an analyzed logical plan into an equivalent one.
 * One rule per file in runtime/optimizer/rules/, listed in order in runtime/optimizer/rules.ts.
 */
import type { LogicalPlan } from "../logical/plan.js";

export interface OptimizerContext {
  /** Upper bound on passes over the rule list before giving up on a fixed point (default 10). */
  readonly maxPasses?: number;
  /** Rule names to skip (for debugging a rule, or comparing plans with and without it). */
  readonly disabledRules?: readonly string[];
  /**
   * true: a rule that throws or breaks an invariant is skipped (its error is kept in the trace)
   * and the query runs with the plan as it was before that rule; false (default): it throws.
   * DataFusion's skip_failed_rules.
   */
  readonly skipFailedRules?: boolean;
}

export interface OptimizerRule {
  /** Shown in the optimizer trace and in invariant errors, e.g. "PushDownFilter". */
  readonly name: string;
  /** Returns the rewritten plan, or the same object when the rule does not apply. */
  apply(plan: LogicalPlan, ctx: OptimizerContext): LogicalPlan;
}
