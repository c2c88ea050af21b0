/**
 * NestedLoopJoinExec: a join without equi-keys (cross join, or only a non-equi condition). It is
 * the hash join with zero keys — every row lands in one bucket — so every join type and the
 * condition handling are shared with HashJoinExec.
 */
import type { Batch } from "../../batch/column.js";
import type { NodeOf, OperatorEnv } from "./env.js";
import { hashJoinExec } from "./hash-join.js";

export function nestedLoopJoinExec(node: NodeOf<"NestedLoopJoinExec">, env: OperatorEnv): AsyncIterable<Batch> {
  const buildLeft = node.how === "right";
  const buildPlan = buildLeft ? node.left : node.right;
  return hashJoinExec(
    {
      ...node,
      kind: "HashJoinExec",
      mode: buildPlan.kind === "BroadcastExchangeExec" ? "broadcast" : "partitioned",
      leftKeys: [],
      rightKeys: [],
      buildSide: buildLeft ? "left" : "right",
    },
    env,
  );
}
