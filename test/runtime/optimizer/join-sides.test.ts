import { describe, expect, it } from "vitest";
import { session } from "../../../runtime/index.js";
import type { LogicalPlan } from "../../../runtime/logical/plan.js";
import { joinOutputSources, type JoinNode } from "../../../runtime/optimizer/join-sides.js";

// The analyzer's USING join layout (key once, then the other left columns, then the right ones)
// is what pushdown and pruning rely on; these tests pin it down against the real builder.
const s = session({ workers: 1 });
const orders = s.createDataFrame([{ amount: 1.5, user_id: 1 }], { amount: "float64", user_id: "int64" });
const users = s.createDataFrame([{ user_id: 1, country: "NO" }], { user_id: "int64", country: "string" });
const joinOf = (how: "inner" | "left" | "right" | "full" | "semi") => orders.join(users, { on: "user_id", how }).plan as LogicalPlan as JoinNode;

describe("joinOutputSources on USING joins", () => {
  it("takes the key from the left for inner and left joins", () => {
    for (const how of ["inner", "left"] as const) {
      expect(joinOutputSources(joinOf(how))).toEqual([
        { side: "left", index: 1, rightIndex: 0 }, { side: "left", index: 0 }, { side: "right", index: 1 },
      ]);
    }
  });

  it("takes the key from the right for a right join and from both (coalesced) for a full join", () => {
    expect(joinOutputSources(joinOf("right"))[0]).toEqual({ side: "right", index: 0 });
    expect(joinOutputSources(joinOf("full"))[0]).toEqual({ side: "both", index: 1, rightIndex: 0 });
  });

  it("maps a semi join's output to the left input position by position", () => {
    expect(joinOutputSources(joinOf("semi"))).toEqual([{ side: "left", index: 0 }, { side: "left", index: 1 }]);
  });
});
