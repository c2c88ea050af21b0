import { describe, expect, it } from "vitest";
import type { LogicalPlan } from "../../../runtime/logical/plan.js";
import { optimize } from "../../../runtime/optimizer/index.js";
import { inferJoinKeyNotNull } from "../../../runtime/optimizer/rules/infer-join-key-not-null.js";
import { alias, col, isNotNull, join, nodes, project, scan, subqueryAlias } from "./builders.js";

const orders = () => scan({ user_id: "int32", amount: "float64" });
const users = () => scan({ uid: "int32", country: "string" });
const scanFilters = (p: LogicalPlan) => nodes(p).filter((n) => n.kind === "Scan").map((n) => (n.kind === "Scan" ? n.filters : []));

describe("InferJoinKeyNotNull", () => {
  it("drops null keys from both inputs of an inner join, down in the scans", () => {
    const { plan, trace } = optimize(join(orders(), users(), "inner", [[col("user_id"), col("uid")]]));
    expect(scanFilters(plan)).toEqual([[isNotNull(col("user_id"))], [isNotNull(col("uid"))]]);
    // Added once: the optimizer still reaches a fixed point well before maxPasses.
    expect(trace.length).toBeLessThan(12 * 10);
  });

  it("filters only the right input of a left join (unmatched left rows must stay)", () => {
    const { plan } = optimize(join(orders(), users(), "left", [[col("user_id"), col("uid")]]));
    expect(scanFilters(plan)).toEqual([[], [isNotNull(col("uid"))]]);
  });

  it("follows renames and aliases down to the scan, and adds nothing when it is already there", () => {
    const renamed = subqueryAlias(project(orders(), alias(col("user_id"), "k"), col("amount")), "o");
    const q = join(renamed, users(), "inner", [[col("k", "o"), col("uid")]]);
    const once = optimize(q).plan;
    expect(scanFilters(once)[0]).toEqual([isNotNull(col("user_id"))]);
    expect(inferJoinKeyNotNull.apply(once, {})).toBe(once);
  });

  it("adds nothing for a key that cannot be null, or for a full join", () => {
    const strict: LogicalPlan = { ...orders(), schema: { fields: [{ name: "user_id", type: { kind: "int32" }, nullable: false }] } } as LogicalPlan;
    const q = join(strict, users(), "full", [[col("user_id"), col("uid")]]);
    expect(inferJoinKeyNotNull.apply(q, {})).toBe(q);
  });
});
