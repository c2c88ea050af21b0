/**
 * createPhysicalPlan: turns an optimized logical plan into operators over partitions. Each
 * operator is planned bottom-up, so a parent sees its child's output partitioning and asks for an
 * exchange only when it needs one (see enforce-distribution.ts). Ids are assigned at the end.
 */
import type { Expr } from "../expr/ir.js";
import type { LogicalPlan, SourceRef } from "../logical/plan.js";
import { conjoin, exprEquals, splitConjuncts, stripAlias } from "../optimizer/expr-utils.js";
import { fieldRef, rebind, resolveColumn } from "../optimizer/schema-utils.js";
import { aliasSchema } from "../optimizer/plan-utils.js";
import type { PhysicalPlannerContext } from "./context.js";
import { canonicalKey, ensureSinglePartition, hashPartitioning, projectPartitioning, shuffle } from "./enforce-distribution.js";
import { HASH_VERSION } from "./hash-version.js";
import { assignIds } from "./node-ids.js";
import { reuseExchanges } from "./reuse-exchanges.js";
import { planAggregate, planDistinct } from "./plan-aggregate.js";
import { planJoin } from "./plan-join.js";
import { planWindow } from "./plan-window.js";
import type { Partitioning, PhysicalPlan } from "./plan.js";
import type { Schema } from "../expr/types.js";

export type { PhysicalPlannerContext } from "./context.js";
export { plannerContext, DEFAULT_BROADCAST_THRESHOLD } from "./context.js";

export function createPhysicalPlan(plan: LogicalPlan, ctx: PhysicalPlannerContext): PhysicalPlan {
  return reuseExchanges(assignIds(planNode(plan, ctx)));
}

/** Partitioning a source declares, expressed over the scan's output columns. */
function sourcePartitioning(source: SourceRef, schema: Schema, ctx: PhysicalPlannerContext): Partitioning {
  const declared = (source as { partitions?: number }).partitions;
  const n = declared && declared > 0 ? declared : ctx.defaultParallelism;
  if (source.kind === "memory" && source.partitioning?.kind === "hash") {
    const keys: Expr[] = source.partitioning.keys.map((name) => ({ kind: "Column", name }));
    if (keys.every((k) => k.kind === "Column" && resolveColumn(schema, k) >= 0)) {
      return { kind: "hash", keys: keys.map((k) => fieldRef(schema.fields[resolveColumn(schema, k as Expr & { kind: "Column" })]!)), n: source.partitioning.n, hashVersion: source.partitioning.hashVersion };
    }
  }
  return n === 1 ? { kind: "single" } : { kind: "unknown", n };
}

function planNode(plan: LogicalPlan, ctx: PhysicalPlannerContext): PhysicalPlan {
  switch (plan.kind) {
    case "Scan":
      return {
        kind: "ScanExec", id: -1, source: plan.source, filters: plan.filters, schema: plan.schema,
        ...(plan.projection ? { projection: plan.projection } : {}),
        ...(plan.limit !== undefined ? { limit: plan.limit } : {}),
        outputPartitioning: sourcePartitioning(plan.source, plan.schema, ctx),
      };
    case "Project": {
      const planned = planNode(plan.input, ctx);
      // A projection the planner added below (USING join, alias) only renames: fold it in.
      const inlined = planned.kind === "ProjectExec" ? inlineRenames(plan.exprs, plan.schema, planned) : undefined;
      const input = inlined ? (planned as PhysicalPlan & { kind: "ProjectExec" }).input : planned;
      const exprs = inlined ?? plan.exprs;
      return { kind: "ProjectExec", id: -1, input, exprs, schema: plan.schema, outputPartitioning: projectPartitioning(input.outputPartitioning, exprs, input.schema, plan.schema) };
    }
    case "SubqueryAlias": {
      // Only the qualifier changes: a projection that passes every column through under the alias.
      const input = planNode(plan.input, ctx);
      const exprs = input.schema.fields.map((f) => fieldRef(f));
      const schema = aliasSchema(input.schema, plan.alias);
      return { kind: "ProjectExec", id: -1, input, exprs, schema, outputPartitioning: projectPartitioning(input.outputPartitioning, exprs, input.schema, schema) };
    }
    case "Filter": {
      const input = planNode(plan.input, ctx);
      // The logical Filter stays above a scan it was pushed into (a source may only use pushed
      // filters as hints), but ScanExec applies every pushed filter exactly, row by row: testing
      // those conjuncts again would evaluate each predicate twice over every row.
      const remaining = input.kind === "ScanExec"
        ? splitConjuncts(plan.predicate).filter((c) => !input.filters.some((f) => exprEquals(f, c)))
        : [plan.predicate];
      if (remaining.length === 0) return input;
      return { kind: "FilterExec", id: -1, input, predicate: conjoin(remaining), schema: input.schema, outputPartitioning: input.outputPartitioning };
    }
    case "Aggregate":
      return planAggregate(plan, planNode(plan.input, ctx), ctx);
    case "Distinct":
      return planDistinct(plan, planNode(plan.input, ctx), ctx);
    case "Window":
      return planWindow(plan, planNode(plan.input, ctx), ctx);
    case "Join":
      return planJoin(plan, planNode(plan.left, ctx), planNode(plan.right, ctx), ctx);
    case "Sort":
      return planSort(plan, planNode(plan.input, ctx), ctx);
    case "Limit":
      return planLimit(plan, ctx);
    case "Union": {
      const inputs = plan.inputs.map((i) => planNode(i, ctx));
      const n = inputs.reduce((sum, i) => sum + (i.outputPartitioning.kind === "single" ? 1 : i.outputPartitioning.n), 0);
      return { kind: "UnionExec", id: -1, inputs, schema: plan.schema, outputPartitioning: { kind: "unknown", n } };
    }
    case "Repartition":
      return planRepartition(plan, planNode(plan.input, ctx));
    case "Sample": {
      const input = planNode(plan.input, ctx);
      return { kind: "SampleExec", id: -1, input, fraction: plan.fraction, withReplacement: plan.withReplacement, seed: plan.seed, schema: input.schema, outputPartitioning: input.outputPartitioning };
    }
    case "Cache": {
      const stored = ctx.cachedSource(plan.id);
      if (stored) {
        return { kind: "ScanExec", id: -1, source: stored, filters: [], schema: plan.schema, outputPartitioning: sourcePartitioning(stored, plan.schema, ctx) };
      }
      const input = planNode(plan.input, ctx);
      return { kind: "CacheExec", id: -1, input, cacheId: plan.id, schema: input.schema, outputPartitioning: input.outputPartitioning };
    }
  }
}

/**
 * `exprs` (over `inner`'s output) rewritten over `inner`'s input, when every expression of `inner`
 * is a column reference or a cheap function of columns (coalesce), so nothing is computed twice.
 */
function inlineRenames(exprs: readonly Expr[], schema: Schema, inner: PhysicalPlan & { kind: "ProjectExec" }): Expr[] | undefined {
  const defs = inner.exprs.map(stripAlias);
  const cheap = (e: Expr) => e.kind === "Column" || (e.kind === "Call" && e.fn === "coalesce" && e.args.every((a) => a.kind === "Column"));
  if (!defs.every(cheap)) return undefined;
  const out: Expr[] = [];
  for (let i = 0; i < exprs.length; i++) {
    const rewritten = rebind(exprs[i]!, inner.schema, (j) => defs[j]);
    if (!rewritten) return undefined;
    const name = schema.fields[i]!.name;
    out.push(rewritten.kind === "Alias" || (rewritten.kind === "Column" && rewritten.name === name) ? rewritten : { kind: "Alias", expr: rewritten, name });
  }
  return out;
}

function planSort(plan: LogicalPlan & { kind: "Sort" }, input: PhysicalPlan, ctx: PhysicalPlannerContext): PhysicalPlan {
  const ranged = input.outputPartitioning.kind === "single" ? input
    : shuffle(input, { kind: "range", order: plan.order, n: ctx.shufflePartitions });
  return { kind: "SortExec", id: -1, input: ranged, order: plan.order, schema: ranged.schema, outputPartitioning: ranged.outputPartitioning };
}

function planLimit(plan: LogicalPlan & { kind: "Limit" }, ctx: PhysicalPlannerContext): PhysicalPlan {
  const k = plan.n + plan.offset;
  const sortBelow = plan.input.kind === "Sort" ? plan.input : undefined;
  if (sortBelow) {
    // orderBy().limit(k): top-k per partition, then one partition, then the final top-k.
    const input = planNode(sortBelow.input, ctx);
    const topK = (i: PhysicalPlan): PhysicalPlan => ({ kind: "TopKExec", id: -1, input: i, order: sortBelow.order, k, schema: i.schema, outputPartitioning: i.outputPartitioning });
    const merged = input.outputPartitioning.kind === "single" ? topK(input) : topK(ensureSinglePartition(topK(input)));
    return plan.offset > 0 ? globalLimit(merged, plan) : merged;
  }
  const input = planNode(plan.input, ctx);
  if (input.outputPartitioning.kind === "single") return globalLimit(input, plan);
  const local: PhysicalPlan = { kind: "LocalLimitExec", id: -1, input, n: k, schema: input.schema, outputPartitioning: input.outputPartitioning };
  return globalLimit(ensureSinglePartition(local), plan);
}

function globalLimit(input: PhysicalPlan, plan: LogicalPlan & { kind: "Limit" }): PhysicalPlan {
  return { kind: "GlobalLimitExec", id: -1, input, n: plan.n, offset: plan.offset, schema: input.schema, outputPartitioning: input.outputPartitioning };
}

function planRepartition(plan: LogicalPlan & { kind: "Repartition" }, input: PhysicalPlan): PhysicalPlan {
  const s = plan.scheme;
  switch (s.kind) {
    case "hash": {
      // Already laid out exactly this way (same keys, count and hash): nothing to move.
      const p = input.outputPartitioning;
      const sameKeys = p.kind === "hash" && p.keys.length === s.keys.length && p.keys.every((k, i) => canonicalKey(k, input.schema) === canonicalKey(s.keys[i]!, input.schema));
      if (p.kind === "hash" && p.n === s.n && p.hashVersion === HASH_VERSION && sameKeys) return input;
      return shuffle(input, hashPartitioning(s.keys, s.n));
    }
    case "range":
      return shuffle(input, { kind: "range", order: s.order, n: s.n });
    case "roundRobin":
      return shuffle(input, s.n === 1 ? { kind: "single" } : { kind: "roundRobin", n: s.n });
    case "coalesce": {
      const current = input.outputPartitioning.kind === "single" ? 1 : input.outputPartitioning.n;
      if (current <= s.n) return input;
      const outputPartitioning: Partitioning = s.n === 1 ? { kind: "single" } : { kind: "unknown", n: s.n };
      return { kind: "CoalescePartitionsExec", id: -1, input, n: s.n, schema: input.schema, outputPartitioning };
    }
  }
}
