/** Small physical plans for scheduler tests (run by the fixture executor). */
import type { Expr } from "../../../runtime/expr/ir.js";
import type { Schema } from "../../../runtime/expr/types.js";
import type { SourceRef } from "../../../runtime/logical/plan.js";
import type { Partitioning, PhysicalPlan } from "../../../runtime/physical/plan.js";
import { HASH_VERSION } from "../../../runtime/shuffle/hash.js";

export const schema: Schema = {
  fields: [
    { name: "k", type: { kind: "int32" }, nullable: false },
    { name: "s", type: { kind: "string" }, nullable: true },
  ],
};
export const col = (name: string): Expr => ({ kind: "Column", name });
export const hashOn = (n: number, key = "k"): Partitioning => ({ kind: "hash", keys: [col(key)], n, hashVersion: HASH_VERSION });

let ids = 100;
const id = (): number => ids++;

export function scanOf(source: SourceRef & { kind: "memory" }, outputPartitioning?: Partitioning): PhysicalPlan {
  return { kind: "ScanExec", id: id(), schema, outputPartitioning: outputPartitioning ?? { kind: "unknown", n: source.partitions }, source, filters: [] };
}
export function shuffle(input: PhysicalPlan, partitioning: Partitioning): PhysicalPlan {
  return { kind: "ShuffleExchangeExec", id: id(), schema: input.schema, outputPartitioning: partitioning, input, partitioning };
}
export function project(input: PhysicalPlan): PhysicalPlan {
  return { kind: "ProjectExec", id: id(), schema: input.schema, outputPartitioning: input.outputPartitioning, input, exprs: input.schema.fields.map((f) => col(f.name)) };
}
export function fault(input: PhysicalPlan, kind: string): PhysicalPlan {
  const predicate: Expr = { kind: "Call", fn: "__fault", args: [{ kind: "Literal", value: kind, type: { kind: "string" } }] };
  return { kind: "FilterExec", id: id(), schema: input.schema, outputPartitioning: input.outputPartitioning, input, predicate };
}
export function join(left: PhysicalPlan, right: PhysicalPlan, mode: "broadcast" | "partitioned"): PhysicalPlan {
  return { kind: "HashJoinExec", id: id(), schema, outputPartitioning: left.outputPartitioning, mode, how: "inner", left, right, leftKeys: [col("k")], rightKeys: [col("k")], buildSide: "right" };
}
export function broadcast(input: PhysicalPlan): PhysicalPlan {
  return { kind: "BroadcastExchangeExec", id: id(), schema: input.schema, outputPartitioning: { kind: "single" }, input };
}
export function cache(input: PhysicalPlan, cacheId: string): PhysicalPlan {
  return { kind: "CacheExec", id: id(), schema: input.schema, outputPartitioning: input.outputPartitioning, input, cacheId };
}
