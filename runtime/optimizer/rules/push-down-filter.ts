/**
 * PushDownFilter: moves each conjunct of a Filter as close to the data as it can go without
 * changing the result, so fewer rows flow through projections, joins and shuffles.
 *
 *  - through Project / SubqueryAlias (references rewritten to the defining expressions);
 *  - through Sort, Repartition and Distinct (on the distinct keys);
 *  - through Aggregate when it reads only grouping keys; through Window when it reads only
 *    columns every window partitions by;
 *  - into every Union input (by position);
 *  - through Join to the side(s) Spark allows: inner both sides, left join left side only, right
 *    join right side only, full join none, semi/anti the left side; predicates over both sides of
 *    an inner join become part of its condition; the join's own condition pushes to the side
 *    whose rows it only filters (inner: both, left join: right, right join: left, semi: both,
 *    anti: right);
 *  - into Scan.filters (the scan may skip data with them; the Filter stays above because a source
 *    is not required to apply them exactly).
 * Never through Limit, Sample or Cache (the result would change), nor nondeterministic predicates.
 */
import type { Expr } from "../../expr/ir.js";
import type { LogicalPlan } from "../../logical/plan.js";
import {
  columnsOf, conjoin, containsKind, dedupeExprs, isNondeterministic, splitConjuncts, stripAlias,
} from "../expr-utils.js";
import {
  conditionSide, conditionToSide, joinOutputSources, type JoinNode, sideOf, toSide,
} from "../join-sides.js";
import { transformPlanDown } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";
import { fieldRef, rebind, resolveColumn } from "../schema-utils.js";
import { extractEquiKeys } from "./extract-equi-keys.js";

export const pushDownFilter: OptimizerRule = {
  name: "PushDownFilter",
  apply(plan) {
    return transformPlanDown(plan, (node) => {
      if (node.kind === "Filter") return push(splitConjuncts(node.predicate), node.input);
      if (node.kind === "Join") return pushJoinCondition(node);
      return node;
    });
  },
};

function filterOver(conds: readonly Expr[], child: LogicalPlan): LogicalPlan {
  if (conds.length === 0) return child;
  return { kind: "Filter", input: child, predicate: conjoin(conds), schema: child.schema };
}

/** Places `conds` (over `node`'s output) as deep below `node` as allowed. */
function push(conds: readonly Expr[], node: LogicalPlan): LogicalPlan {
  const movable = conds.filter((c) => !isNondeterministic(c));
  const stuck = conds.filter((c) => isNondeterministic(c));
  if (movable.length === 0) return filterOver(conds, node);
  const above = (kept: readonly Expr[], below: LogicalPlan) => filterOver([...kept, ...stuck], below);

  switch (node.kind) {
    case "Filter":
      if (isNondeterministic(node.predicate)) return filterOver(conds, node);
      return above([], push([...splitConjuncts(node.predicate), ...movable], node.input));
    case "Project": {
      const { moved, kept } = partitionRebind(movable, (c) =>
        rebind(c, node.schema, (i) => {
          const d = node.exprs[i] && stripAlias(node.exprs[i]);
          return d && !containsKind(d, ["Agg", "Window", "Ranking", "Udf"]) && !isNondeterministic(d) ? d : undefined;
        }));
      if (moved.length === 0) return filterOver(conds, node);
      return above(kept, { ...node, input: push(moved, node.input) });
    }
    case "SubqueryAlias": {
      const input = node.input.schema;
      const { moved, kept } = partitionRebind(movable, (c) => rebind(c, node.schema, (i) => fieldRef(input.fields[i]!)));
      return above(kept, moved.length ? { ...node, input: push(moved, node.input) } : node);
    }
    case "Sort":
    case "Repartition":
      return above([], { ...node, input: push(movable, node.input) } as LogicalPlan);
    case "Distinct": {
      const subset = node.subset;
      const { moved, kept } = partitionRebind(movable, (c) =>
        subset === undefined || columnsOf(c).every((col) => subset.includes(col.name)) ? c : undefined);
      return above(kept, moved.length ? { ...node, input: push(moved, node.input) } : node);
    }
    case "Aggregate": {
      const keys = node.groupBy.map(stripAlias);
      const { moved, kept } = partitionRebind(movable, (c) =>
        rebind(c, node.schema, (i) => (i < keys.length && !isNondeterministic(keys[i]!) ? keys[i] : undefined)));
      return above(kept, moved.length ? { ...node, input: push(moved, node.input) } : node);
    }
    case "Window": {
      const nInput = node.input.schema.fields.length;
      const partitionKeys = commonPartitionColumns(node);
      const { moved, kept } = partitionRebind(movable, (c) =>
        rebind(c, node.schema, (i) => (i < nInput && partitionKeys.has(i) ? fieldRef(node.input.schema.fields[i]!) : undefined)));
      return above(kept, moved.length ? { ...node, input: push(moved, node.input) } : node);
    }
    case "Union": {
      const inputs = node.inputs.map((child) => {
        const rebound = movable.map((c) => rebind(c, node.schema, (i) => fieldRef(child.schema.fields[i]!)));
        if (rebound.some((r) => r === undefined)) return filterOver(movable, child);
        return push(rebound as Expr[], child);
      });
      return above([], { ...node, inputs });
    }
    case "Join":
      return pushIntoJoin(movable, stuck, node);
    case "Scan": {
      const pushable = movable.filter((c) => !containsKind(c, ["Udf", "Agg", "Window", "Ranking"]));
      const filters = dedupeExprs([...node.filters, ...pushable]);
      const scan = filters.length === node.filters.length ? node : { ...node, filters };
      return filterOver(conds, scan);
    }
    default:
      return filterOver(conds, node);
  }
}

function partitionRebind(conds: readonly Expr[], tryMove: (c: Expr) => Expr | undefined): { moved: Expr[]; kept: Expr[] } {
  const moved: Expr[] = [];
  const kept: Expr[] = [];
  for (const c of conds) {
    const r = tryMove(c);
    if (r === undefined) kept.push(c);
    else moved.push(r);
  }
  return { moved, kept };
}

/** Input column indices that every window expression of `node` partitions by. */
export function commonPartitionColumns(node: LogicalPlan & { kind: "Window" }): Set<number> {
  let common: Set<number> | undefined;
  for (const e of node.exprs) {
    const w = stripAlias(e);
    if (w.kind !== "Window") return new Set();
    const mine = new Set<number>();
    for (const p of w.spec.partitionBy) {
      if (p.kind === "Column") {
        const i = resolveColumn(node.input.schema, p);
        if (i >= 0) mine.add(i);
      }
    }
    common = common ? new Set([...common].filter((i) => mine.has(i))) : mine;
  }
  return common ?? new Set();
}

function pushIntoJoin(conds: readonly Expr[], stuck: readonly Expr[], join: JoinNode): LogicalPlan {
  const sources = joinOutputSources(join);
  const toLeft: Expr[] = [];
  const toRight: Expr[] = [];
  const toCondition: Expr[] = [];
  const kept: Expr[] = [];
  const how = join.how;
  const leftOk = how === "inner" || how === "cross" || how === "left" || how === "semi" || how === "anti";
  const rightOk = how === "inner" || how === "cross" || how === "right";
  // A USING key filtered on an inner join filters both inputs (their keys are equal on matches).
  const bothOk = how === "inner" || how === "semi";
  for (const c of conds) {
    const side = sideOf(c, join, sources);
    const left = leftOk && (side === "left" || side === "none") ? toSide(c, join, sources, "left") : undefined;
    const right = rightOk && (side === "right" || side === "none") ? toSide(c, join, sources, "right") : undefined;
    if (left) {
      toLeft.push(left);
      const copy = bothOk ? toSide(c, join, sources, "right") : undefined;
      if (copy) toRight.push(copy);
    } else if (right) {
      toRight.push(right);
    } else if ((how === "inner" || how === "cross") && side === "both" && !join.usingColumns?.length) {
      toCondition.push(c);
    } else {
      kept.push(c);
    }
  }
  if (toLeft.length + toRight.length + toCondition.length === 0) return filterOver([...conds, ...stuck], join);
  const condition = toCondition.length ? conjoin([...(join.condition ? [join.condition] : []), ...toCondition]) : join.condition;
  const rebuilt: JoinNode = {
    ...join,
    how: how === "cross" && condition ? "inner" : how,
    left: toLeft.length ? push(toLeft, join.left) : join.left,
    right: toRight.length ? push(dedupeExprs(toRight), join.right) : join.right,
    ...(condition ? { condition } : {}),
  };
  return filterOver([...kept, ...stuck], extractEquiKeys(rebuilt));
}

/** Pushes the parts of a join's own condition that only filter one input's candidate rows. */
function pushJoinCondition(join: JoinNode): LogicalPlan {
  if (!join.condition || isNondeterministic(join.condition)) return join;
  const how = join.how;
  const leftOk = how === "inner" || how === "right" || how === "semi";
  const rightOk = how === "inner" || how === "left" || how === "semi" || how === "anti";
  const toLeft: Expr[] = [];
  const toRight: Expr[] = [];
  const rest: Expr[] = [];
  for (const c of splitConjuncts(join.condition)) {
    const side = conditionSide(c, join);
    const l = leftOk && side === "left" ? conditionToSide(c, join, "left") : undefined;
    const r = rightOk && side === "right" ? conditionToSide(c, join, "right") : undefined;
    if (l) toLeft.push(l);
    else if (r) toRight.push(r);
    else rest.push(c);
  }
  if (toLeft.length + toRight.length === 0) return extractEquiKeys(join);
  const { condition: _dropped, ...withoutCondition } = join;
  const base: JoinNode = rest.length ? { ...withoutCondition, condition: conjoin(rest) } : withoutCondition;
  return extractEquiKeys({
    ...base,
    left: toLeft.length ? push(toLeft, join.left) : join.left,
    right: toRight.length ? push(toRight, join.right) : join.right,
  });
}
