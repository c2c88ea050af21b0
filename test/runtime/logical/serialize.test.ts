import { describe, expect, it } from "vitest";
import { col, F, session, Window } from "../../../runtime/index.js";
import { exprEquals, exprKey, planFromJSON, planToJSON } from "../../../runtime/logical/serialize.js";

describe("plan JSON", () => {
  it("round-trips a plan with bigint literals and range sources", () => {
    const s = session({ workers: 2 });
    const df = s.range(0, 2n ** 60n).filter(col("id").gt(2n ** 55n)).withColumn("r", F.rank().over(Window.orderBy("id")));
    const text = planToJSON(df.plan);
    expect(text).toContain('{"$bigint":"36028797018963968"}');
    expect(planFromJSON(text)).toEqual(df.plan);
  });

  it("keys expressions structurally, ignoring property order", () => {
    const a = { kind: "Column", name: "x", qualifier: "o" } as const;
    const b = { qualifier: "o", name: "x", kind: "Column" } as const;
    expect(exprKey(a)).toBe(exprKey(b));
    expect(exprEquals(col("x").add(1).expr, col("x").add(2).expr)).toBe(false);
  });
});
