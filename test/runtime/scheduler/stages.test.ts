import { describe, expect, it } from "vitest";
import { cutStages } from "../../../runtime/scheduler/stages.js";
import { stagesOf } from "../../../runtime/physical/stages.js";
import { broadcast, cache, hashOn, join, project, scanOf, shuffle } from "./plans.js";

const table = (id: string, partitions: number) => ({ kind: "memory", id, partitions, rows: 10, bytes: 100 }) as const;

describe("cutStages", () => {
  it("cuts at shuffles and broadcasts like the planner's stagesOf (ids, parents, task counts, node ids)", () => {
    const left = shuffle(scanOf(table("a", 3)), hashOn(4));
    const right = broadcast(scanOf(table("b", 2)));
    const plan = project(join(left, right, "broadcast"));
    const ours = cutStages(plan, () => false);
    const theirs = stagesOf(plan);
    expect(ours.map((s) => ({ stageId: s.id, parents: [...s.parents].sort(), numTasks: s.numPartitions, nodeIds: [...s.nodeIds].sort() }))).toEqual(
      theirs.map((s) => ({ stageId: s.stageId, parents: [...s.parents].sort(), numTasks: s.numTasks, nodeIds: [...s.nodeIds].sort() })),
    );
    const result = ours.at(-1)!;
    expect(result.output.kind).toBe("result");
    expect(result.shuffleReads).toEqual([left.id]);
    expect(result.broadcastReads).toEqual([right.id]);
    expect(ours[0]!.tableReads.map((t) => t.id)).toEqual(["a"]);
  });

  it("makes an unmaterialized cache a stage boundary and a materialized one a leaf", () => {
    const plan = project(cache(scanOf(table("a", 2)), "c9"));
    const cold = cutStages(plan, () => false);
    expect(cold.map((s) => s.output.kind)).toEqual(["cache", "result"]);
    expect(cold[1]!.cacheReads).toEqual(["c9"]);
    const warm = cutStages(plan, (id) => id === "c9");
    expect(warm.map((s) => s.output.kind)).toEqual(["result"]);
    expect(warm[0]!.tableReads).toEqual([]);
  });

  it("runs a shared exchange once", () => {
    const x = shuffle(scanOf(table("a", 2)), hashOn(4));
    const stages = cutStages(join(x, x, "partitioned"), () => false);
    expect(stages).toHaveLength(2);
    expect(stages[1]!.parents).toEqual([0]);
  });
});
