/**
 * Join selection (Spark's JoinSelection, simplified):
 *  - no equi keys (cross join, non-equi condition): nested loop join with one side broadcast (the
 *    right one; the left for a right join); a full outer one runs in a single partition;
 *  - hint "broadcast", or a side whose estimated size is under autoBroadcastThreshold and that the
 *    join type lets us build (left/semi/anti joins build the right side, right joins the left,
 *    inner either, full neither): broadcast hash join;
 *  - otherwise a partitioned hash join with both inputs hash-partitioned alike on their keys,
 *    shuffling only the inputs that are not already (co-partitioned inputs need no exchange).
 *
 * A physical join outputs left ++ right (semi/anti: left) by position. USING joins (one shared
 * key column) are planned as a join of inputs whose right keys are renamed, then a projection that
 * produces the logical output (the key from the left, the right, or coalesced for full joins).
 */
import type { Expr } from "../expr/ir.js";
import type { Field, Schema } from "../expr/types.js";
import { joinOutputSources, type JoinNode } from "../optimizer/join-sides.js";
import { fieldRef, rebind } from "../optimizer/schema-utils.js";
import type { PhysicalPlannerContext } from "./context.js";
import { coPartition, ensureSinglePartition, projectPartitioning, remapPartitioning } from "./enforce-distribution.js";
import { estimateSize } from "./estimate.js";
import { partitionCount, type Partitioning, type PhysicalPlan } from "./plan.js";

type Side = "left" | "right";

export function planJoin(node: JoinNode, left: PhysicalPlan, right: PhysicalPlan, ctx: PhysicalPlannerContext): PhysicalPlan {
  if (node.usingColumns?.length && node.how !== "semi" && node.how !== "anti") return planUsingJoin(node, left, right, ctx);
  return planPositionalJoin(node, left, right, ctx, node.on.map((o) => o.left), node.on.map((o) => o.right), node.condition);
}

function broadcast(input: PhysicalPlan): PhysicalPlan {
  return { kind: "BroadcastExchangeExec", id: -1, input, schema: input.schema, outputPartitioning: { kind: "single" } };
}

function concatSchema(node: JoinNode, left: PhysicalPlan, right: PhysicalPlan): Schema {
  return node.how === "semi" || node.how === "anti" ? left.schema : { fields: [...left.schema.fields, ...right.schema.fields] };
}

/** The partitioning of a join's output inherited from one input (its columns keep their positions). */
function inherit(p: Partitioning, side: Side, input: PhysicalPlan, output: Schema, leftWidth: number): Partitioning {
  return remapPartitioning(p, input.schema, output, (i) => {
    const j = side === "left" ? i : leftWidth + i;
    return j < output.fields.length ? j : undefined;
  });
}

export function chooseBroadcastSide(node: JoinNode, ctx: PhysicalPlannerContext): Side | undefined {
  const canBuildRight = node.how === "inner" || node.how === "left" || node.how === "semi" || node.how === "anti";
  const canBuildLeft = node.how === "inner" || node.how === "right";
  const lb = estimateSize(node.left).bytes;
  const rb = estimateSize(node.right).bytes;
  // The hint does not say which input was marked (the API merges it into the join), so when both
  // sides may be built, the smaller estimate is the one broadcast.
  if (node.hint === "broadcast") {
    if (canBuildRight && canBuildLeft) return rb <= lb ? "right" : "left";
    return canBuildRight ? "right" : canBuildLeft ? "left" : undefined;
  }
  if (node.hint === "shuffle_hash" || node.hint === "merge" || ctx.autoBroadcastThreshold < 0) return undefined;
  const rightFits = canBuildRight && rb <= ctx.autoBroadcastThreshold;
  const leftFits = canBuildLeft && lb <= ctx.autoBroadcastThreshold;
  if (rightFits && leftFits) return rb <= lb ? "right" : "left";
  return rightFits ? "right" : leftFits ? "left" : undefined;
}

function planPositionalJoin(
  node: JoinNode, left: PhysicalPlan, right: PhysicalPlan, ctx: PhysicalPlannerContext,
  leftKeys: readonly Expr[], rightKeys: readonly Expr[], condition: Expr | undefined,
): PhysicalPlan {
  const schema = concatSchema(node, left, right);
  const leftWidth = left.schema.fields.length;
  const cond = condition ? { condition } : {};

  if (leftKeys.length === 0) {
    // A full outer nested loop must also emit build rows no task matched; with both inputs in
    // one partition a single task sees everything, so no cross-task bookkeeping is needed.
    if (node.how === "full") {
      const l = ensureSinglePartition(left);
      const r = ensureSinglePartition(right);
      return { kind: "NestedLoopJoinExec", id: -1, how: node.how, left: l, right: r, ...cond, schema, outputPartitioning: { kind: "single" } };
    }
    const buildLeft = node.how === "right";
    const l = buildLeft ? broadcast(left) : left;
    const r = buildLeft ? right : broadcast(right);
    const stream = buildLeft ? right : left;
    return {
      kind: "NestedLoopJoinExec", id: -1, how: node.how, left: l, right: r, ...cond, schema,
      outputPartitioning: inherit(stream.outputPartitioning, buildLeft ? "right" : "left", stream, schema, leftWidth),
    };
  }

  const build = chooseBroadcastSide(node, ctx);
  if (build) {
    const stream = build === "left" ? right : left;
    return {
      kind: "HashJoinExec", id: -1, mode: "broadcast", how: node.how,
      left: build === "left" ? broadcast(left) : left, right: build === "right" ? broadcast(right) : right,
      leftKeys, rightKeys, ...cond, buildSide: build, schema,
      outputPartitioning: inherit(stream.outputPartitioning, build === "left" ? "right" : "left", stream, schema, leftWidth),
    };
  }

  const leftBytes = estimateSize(node.left).bytes;
  const rightBytes = estimateSize(node.right).bytes;
  const [l, r] = coPartition(left, right, leftKeys, rightKeys, ctx, joinPartitions(leftBytes + rightBytes, ctx));
  const buildSide: Side = node.how === "right" ? "left" : node.how === "inner" && leftBytes < rightBytes ? "left" : "right";
  const outputPartitioning: Partitioning = node.how === "full"
    ? { kind: "unknown", n: partitionCount(l.outputPartitioning) }
    : node.how === "right" ? inherit(r.outputPartitioning, "right", r, schema, leftWidth)
      : inherit(l.outputPartitioning, "left", l, schema, leftWidth);
  return { kind: "HashJoinExec", id: -1, mode: "partitioned", how: node.how, left: l, right: r, leftKeys, rightKeys, ...cond, buildSide, schema, outputPartitioning };
}

/** Estimated join input per reduce partition the planner aims for when shufflePartitions is too few. */
export const JOIN_BYTES_PER_PARTITION = 256 * 1024 * 1024;

/**
 * Partitions for shuffling both sides of a join: shufflePartitions, or more when the estimated
 * inputs are big (one per 256 MiB, a multiple of the parallelism), so each reduce task builds and
 * probes a slice that fits beside the others; at 1e8 x 1e8 rows, 8 partitions meant ~25M rows per
 * task and gigabytes in flight per worker. Small partitions are coalesced at run time anyway.
 */
export function joinPartitions(estimatedBytes: number, ctx: PhysicalPlannerContext): number {
  const n = ctx.shufflePartitions;
  // Unknown sizes (a source that does not say) are estimated huge: do not multiply partitions for them.
  if (!Number.isFinite(estimatedBytes) || estimatedBytes >= 1e12) return n;
  const wanted = Math.ceil(estimatedBytes / JOIN_BYTES_PER_PARTITION);
  if (wanted <= n) return n;
  const p = Math.max(1, ctx.defaultParallelism);
  return Math.ceil(wanted / p) * p;
}

/** Suffix of right-input columns renamed for a USING join (never a name users can write unquoted). */
const RIGHT_SUFFIX = "#right";

function planUsingJoin(node: JoinNode, left: PhysicalPlan, right: PhysicalPlan, ctx: PhysicalPlannerContext): PhysicalPlan {
  const using = new Set(node.usingColumns);
  // Rename the right input's USING keys, and any right column spelled like a left one, so every
  // column of the joined rows has its own name and the final projection can pick each one.
  const collides = (f: Field) => using.has(f.name) || left.schema.fields.some((g) => g.name === f.name && g.qualifier === f.qualifier);
  const renamedFields: Field[] = right.schema.fields.map((f) => (collides(f) ? { ...f, name: f.name + RIGHT_SUFFIX, qualifier: undefined } as Field : f));
  const renamedSchema: Schema = { fields: renamedFields };
  const renameExprs: Expr[] = right.schema.fields.map((f, i) =>
    collides(f) ? { kind: "Alias", expr: fieldRef(f), name: renamedFields[i]!.name } : fieldRef(f));
  const renamedRight: PhysicalPlan = {
    kind: "ProjectExec", id: -1, input: right, exprs: renameExprs, schema: renamedSchema,
    outputPartitioning: projectPartitioning(right.outputPartitioning, renameExprs, right.schema, renamedSchema),
  };
  const toRenamed = (e: Expr, from: Schema, offset: number): Expr =>
    rebind(e, from, (i) => (i < offset ? fieldRef(from.fields[i]!) : fieldRef(renamedFields[i - offset]!))) ?? e;
  const rightKeys = node.on.map((o) => toRenamed(o.right, node.right.schema, 0));
  const bothSchema: Schema = { fields: [...node.left.schema.fields, ...node.right.schema.fields] };
  const condition = node.condition ? toRenamed(node.condition, bothSchema, node.left.schema.fields.length) : undefined;
  const joined = planPositionalJoin(node, left, renamedRight, ctx, node.on.map((o) => o.left), rightKeys, condition);

  const named = (e: Expr, name: string): Expr => (e.kind === "Column" && e.name === name ? e : { kind: "Alias", expr: e, name });
  const sources = joinOutputSources(node);
  const exprs: Expr[] = node.schema.fields.map((f, j) => {
    const s = sources[j]!;
    const leftRef = (i: number): Expr => fieldRef(node.left.schema.fields[i] ?? f);
    const rightRef = (i: number): Expr => fieldRef(renamedFields[i] ?? f);
    if (s.side === "both") return named({ kind: "Call", fn: "coalesce", args: [leftRef(s.index), rightRef(s.rightIndex ?? -1)] }, f.name);
    return named(s.side === "right" ? rightRef(s.index) : leftRef(s.index), f.name);
  });
  return {
    kind: "ProjectExec", id: -1, input: joined, exprs, schema: node.schema,
    outputPartitioning: projectPartitioning(joined.outputPartitioning, exprs, joined.schema, node.schema),
  };
}
