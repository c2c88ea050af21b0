/**
 * Distribution enforcement (DataFusion's EnforceDistribution): operators that need rows with equal
 * keys in the same partition (final aggregate, partitioned join, window) ask for a hash
 * distribution of their input, and a ShuffleExchange is inserted only when the child does not
 * already provide it. Keys are compared by column identity (resolved against the child's schema),
 * so data partitioned by `repartition(8, k)` and renamed by projections still counts; counts and
 * hash versions must match for two join inputs to be co-partitioned.
 */
import type { Expr } from "../expr/ir.js";
import type { Schema } from "../expr/types.js";
import { exprKey, stripAlias } from "../optimizer/expr-utils.js";
import { fieldRef, rebind, resolveColumn } from "../optimizer/schema-utils.js";
import type { PhysicalPlannerContext } from "./context.js";
import { HASH_VERSION } from "./hash-version.js";
import type { Partitioning, PhysicalPlan } from "./plan.js";

/** A key's identity within `schema`: columns become field positions, so spelling does not matter. */
export function canonicalKey(e: Expr, schema: Schema): string {
  const bound = rebind(stripAlias(e), schema, (i) => ({ kind: "Column", name: `#${i}` }));
  return exprKey(bound ?? e);
}

export function hashPartitioning(keys: readonly Expr[], n: number): Partitioning {
  return { kind: "hash", keys, n, hashVersion: HASH_VERSION };
}

/** Positions in `keys` of each partitioning key of `p` (all must be found), or undefined. */
function keyPositions(p: Partitioning, keys: readonly Expr[], schema: Schema): number[] | undefined {
  if (p.kind !== "hash" || p.hashVersion !== HASH_VERSION || p.keys.length === 0) return undefined;
  const wanted = keys.map((k) => canonicalKey(k, schema));
  const positions = p.keys.map((k) => wanted.indexOf(canonicalKey(k, schema)));
  return positions.every((i) => i >= 0) ? positions : undefined;
}

/** Rows with equal `keys` are already in one partition (hash on a subset of the keys, or one partition). */
export function satisfiesHash(p: Partitioning, keys: readonly Expr[], schema: Schema): boolean {
  if (p.kind === "single") return true;
  if (keys.length === 0) return false;
  return keyPositions(p, keys, schema) !== undefined;
}

export function shuffle(input: PhysicalPlan, partitioning: Partitioning): PhysicalPlan {
  return { kind: "ShuffleExchangeExec", id: -1, input, partitioning, schema: input.schema, outputPartitioning: partitioning };
}

/** `child`, or a hash exchange over it, such that equal `keys` meet in one partition. */
export function ensureHashDistribution(child: PhysicalPlan, keys: readonly Expr[], ctx: PhysicalPlannerContext): PhysicalPlan {
  if (satisfiesHash(child.outputPartitioning, keys, child.schema)) return child;
  if (keys.length === 0) return ensureSinglePartition(child);
  return shuffle(child, hashPartitioning(keys, ctx.shufflePartitions));
}

export function ensureSinglePartition(child: PhysicalPlan): PhysicalPlan {
  if (child.outputPartitioning.kind === "single") return child;
  return shuffle(child, { kind: "single" });
}

/**
 * Both join inputs hash-partitioned alike on corresponding keys. Already co-partitioned inputs
 * (same key positions, same count, same hash version) are left alone; if one side is partitioned
 * on (a subset of) its keys, only the other side is shuffled to match it.
 */
export function coPartition(
  left: PhysicalPlan, right: PhysicalPlan, leftKeys: readonly Expr[], rightKeys: readonly Expr[], ctx: PhysicalPlannerContext,
  partitions: number = ctx.shufflePartitions,
): [PhysicalPlan, PhysicalPlan] {
  const lp = left.outputPartitioning;
  const rp = right.outputPartitioning;
  if (lp.kind === "single" && rp.kind === "single") return [left, right];
  const posL = keyPositions(lp, leftKeys, left.schema);
  const posR = keyPositions(rp, rightKeys, right.schema);
  if (posL && posR && lp.kind === "hash" && rp.kind === "hash" && lp.n === rp.n && posL.join() === posR.join()) return [left, right];
  if (posL && lp.kind === "hash") return [left, shuffle(right, hashPartitioning(posL.map((i) => rightKeys[i]!), lp.n))];
  if (posR && rp.kind === "hash") return [shuffle(left, hashPartitioning(posR.map((i) => leftKeys[i]!), rp.n)), right];
  const n = partitions;
  return [shuffle(left, hashPartitioning(leftKeys, n)), shuffle(right, hashPartitioning(rightKeys, n))];
}

/**
 * Re-expresses a partitioning over `from` in terms of `to`, where `outputOf(i)` is the position
 * in `to` holding input field i unchanged (or undefined). Keys that do not survive make the
 * partitioning unknown: the rows are still laid out the same, but nobody can name the keys.
 */
export function remapPartitioning(p: Partitioning, from: Schema, to: Schema, outputOf: (i: number) => number | undefined): Partitioning {
  const move = (e: Expr): Expr | undefined =>
    rebind(e, from, (i) => {
      const j = outputOf(i);
      if (j === undefined) return undefined;
      const ref = fieldRef(to.fields[j]!);
      return resolveColumn(to, ref) === j ? ref : undefined;
    });
  if (p.kind === "hash") {
    const keys = p.keys.map(move);
    return keys.every((k) => k !== undefined) ? { ...p, keys: keys as Expr[] } : { kind: "unknown", n: p.n };
  }
  if (p.kind === "range") {
    const order = p.order.map((o) => ({ ...o, expr: move(o.expr) }));
    return order.every((o) => o.expr !== undefined) ? { ...p, order: order as typeof p.order } : { kind: "unknown", n: p.n };
  }
  return p;
}

/** Output partitioning of a projection: keys that pass through (possibly renamed) are kept. */
export function projectPartitioning(p: Partitioning, exprs: readonly Expr[], input: Schema, output: Schema): Partitioning {
  return remapPartitioning(p, input, output, (i) => {
    const j = exprs.findIndex((e) => {
      const d = stripAlias(e);
      return d.kind === "Column" && resolveColumn(input, d) === i;
    });
    return j >= 0 ? j : undefined;
  });
}
