import { describe, expect, it } from "vitest";
import { createPhysicalPlan, plannerContext } from "../../../runtime/physical/planner.js";
import { stagesOf } from "../../../runtime/physical/stages.js";
import { walkPhysical } from "../../../runtime/physical/node-ids.js";
import { agg, aggregate, alias, col, join, scan } from "../optimizer/builders.js";

const ctx = plannerContext({ shufflePartitions: 6 });
const big = { rows: 1e7, bytes: 1e9, partitions: 3 };

describe("stagesOf", () => {
  it("cuts a two-phase aggregate into a map stage and a result stage", () => {
    const p = createPhysicalPlan(aggregate(scan({ k: "int32", v: "int32" }, big), [col("k")], [alias(agg("sum", col("v")), "s")]), ctx);
    const stages = stagesOf(p);
    expect(stages.map((s) => [s.kind, s.parents, s.numTasks])).toEqual([["shuffleMap", [], 3], ["result", [0], 6]]);
    // Every node belongs to exactly one stage.
    const all = stages.flatMap((s) => s.nodeIds).sort();
    expect(all).toEqual([...walkPhysical(p)].map((n) => n.id).sort());
    expect(stages[0]!.rootId).toBe(p.kind === "HashAggregateExec" ? p.input.id : -1);
  });

  it("gives each join input its own stage, parents before children", () => {
    const p = createPhysicalPlan(join(scan({ k: "int32" }, big), scan({ k2: "int32" }, big), "inner", [[col("k"), col("k2")]]), ctx);
    const stages = stagesOf(p);
    expect(stages).toHaveLength(3);
    expect(stages[2]!.kind).toBe("result");
    expect(stages[2]!.parents).toEqual([0, 1]);
  });

  it("makes a broadcast a stage of its own", () => {
    const p = createPhysicalPlan(join(scan({ k: "int32" }, big), scan({ k2: "int32" }, { rows: 10, bytes: 100 }), "inner", [[col("k"), col("k2")]]), ctx);
    expect(stagesOf(p).map((s) => s.kind)).toEqual(["broadcast", "result"]);
  });
});
