import { describe, expect, it } from "vitest";
import type { Expr } from "../../../runtime/expr/ir.js";
import { Types } from "../../../runtime/expr/types.js";
import type { JoinType } from "../../../runtime/logical/plan.js";
import type { PhysicalPlan } from "../../../runtime/physical/plan.js";
import { col, fakeContext, id, nestedLoopJoinRows, rowsOf, schemaOf, sortRows, table, type Row } from "./helpers.js";

const leftSchema = schemaOf({ lk: Types.string, lk2: Types.int32, lv: Types.int32 });
const rightSchema = schemaOf({ rk: Types.string, rk2: Types.int32, rv: Types.float64 });

const leftRows: Row[] = [
  { lk: "a", lk2: 1, lv: 1 }, { lk: "a", lk2: 1, lv: 2 }, { lk: "b", lk2: 2, lv: 3 }, { lk: null, lk2: 1, lv: 4 },
  { lk: "c", lk2: null, lv: 5 }, { lk: "ü", lk2: 3, lv: 6 }, { lk: "a", lk2: 2, lv: 7 }, { lk: "", lk2: 0, lv: 8 },
];
const rightRows: Row[] = [
  { rk: "a", rk2: 1, rv: 10 }, { rk: "a", rk2: 1, rv: 20 }, { rk: "b", rk2: 2, rv: 30 }, { rk: null, rk2: 1, rv: 40 },
  { rk: "c", rk2: null, rv: 50 }, { rk: "d", rk2: 4, rv: 60 }, { rk: "", rk2: 0, rv: 70 },
];

const reference = (how: JoinType, keys: [string, string][], cond?: (l: Row, r: Row) => boolean): Row[] =>
  nestedLoopJoinRows(how, leftRows, rightRows, keys, cond);

function join(how: JoinType, buildSide: "left" | "right", keys: [string, string][], condition?: Expr, kind: "HashJoinExec" | "NestedLoopJoinExec" = "HashJoinExec"): { node: PhysicalPlan; tables: object } {
  const l = table("L", leftSchema, [leftRows], 3);
  const r = table("R", rightSchema, [rightRows], 2);
  const schema = how === "semi" || how === "anti" ? leftSchema : { fields: [...leftSchema.fields, ...rightSchema.fields] };
  const base = { id: id(), schema, outputPartitioning: { kind: "unknown" as const, n: 1 }, how, left: l.node, right: r.node, ...(condition ? { condition } : {}) };
  const node: PhysicalPlan = kind === "HashJoinExec"
    ? { ...base, kind, mode: "partitioned", leftKeys: keys.map(([a]) => col(a)), rightKeys: keys.map(([, b]) => col(b)), buildSide }
    : { ...base, kind };
  return { node, tables: { ...l.tables, ...r.tables } };
}

const types: JoinType[] = ["inner", "left", "right", "full", "semi", "anti"];

describe("HashJoinExec", () => {
  for (const how of types) {
    for (const buildSide of ["left", "right"] as const) {
      it(`${how} join, build ${buildSide}, one string key: null keys never match`, async () => {
        const j = join(how, buildSide, [["lk", "rk"]]);
        const got = await rowsOf(j.node, fakeContext({ tables: j.tables as never }));
        expect(sortRows(got)).toEqual(sortRows(reference(how, [["lk", "rk"]])));
      });
      it(`${how} join, build ${buildSide}, two keys and an extra condition`, async () => {
        const cond: Expr = { kind: "Binary", op: "<", left: { kind: "Cast", expr: col("lv"), to: Types.float64 }, right: col("rv") };
        const j = join(how, buildSide, [["lk", "rk"], ["lk2", "rk2"]], cond);
        const got = await rowsOf(j.node, fakeContext({ tables: j.tables as never }));
        const ref = reference(how, [["lk", "rk"], ["lk2", "rk2"]], (l, r) => (l.lv as number) < (r.rv as number));
        expect(sortRows(got)).toEqual(sortRows(ref));
      });
    }
  }

  for (const how of types) {
    it(`${how} join whose build side exceeds the budget spills both sides by key hash and gives the same rows`, async () => {
      const cond: Expr = { kind: "Binary", op: "<", left: { kind: "Cast", expr: col("lv"), to: Types.float64 }, right: col("rv") };
      const j = join(how, how === "right" ? "left" : "right", [["lk", "rk"]], cond);
      const ctx = fakeContext({ tables: j.tables as never, budget: 60, spill: true });
      const got = await rowsOf(j.node, ctx);
      expect(ctx.metricsById.get(j.node.id)!.spillBytes).toBeGreaterThan(0);
      expect(sortRows(got)).toEqual(sortRows(reference(how, [["lk", "rk"]], (l, r) => (l.lv as number) < (r.rv as number))));
    });
  }

  it("a build side over the budget with spilling off fails with ResourcesExhausted", async () => {
    const j = join("inner", "right", [["lk", "rk"]]);
    await expect(rowsOf(j.node, fakeContext({ tables: j.tables as never, budget: 60 }))).rejects.toMatchObject({ name: "ResourcesExhausted" });
  });

  it("cross join (nested loop) pairs every row", async () => {
    const j = join("inner", "right", [], undefined, "NestedLoopJoinExec");
    const got = await rowsOf(j.node, fakeContext({ tables: j.tables as never }));
    expect(got).toHaveLength(leftRows.length * rightRows.length);
    expect(sortRows(got)).toEqual(sortRows(reference("inner", [])));
  });

  it("nested-loop left join with only a non-equi condition keeps unmatched left rows", async () => {
    const cond: Expr = { kind: "Binary", op: ">", left: { kind: "Cast", expr: col("lv"), to: Types.float64 }, right: { kind: "Binary", op: "/", left: col("rv"), right: { kind: "Literal", value: 10, type: Types.float64 } } };
    const j = join("left", "right", [], cond, "NestedLoopJoinExec");
    const got = await rowsOf(j.node, fakeContext({ tables: j.tables as never }));
    expect(sortRows(got)).toEqual(sortRows(reference("left", [], (l, r) => (l.lv as number) > (r.rv as number) / 10)));
  });

  it("refuses to broadcast the preserved side of an outer join across partitions", async () => {
    const j = join("full", "right", [["lk", "rk"]]);
    const node = { ...(j.node as PhysicalPlan & { kind: "HashJoinExec" }), mode: "broadcast" as const };
    await expect(rowsOf(node, fakeContext({ tables: j.tables as never, numPartitions: 4 }))).rejects.toThrow(/cannot broadcast/);
  });

  it("joins an empty build side", async () => {
    const l = table("L", leftSchema, [leftRows]);
    const r = table("R", rightSchema, [[]]);
    const node: PhysicalPlan = { kind: "HashJoinExec", id: id(), mode: "partitioned", how: "left", left: l.node, right: r.node, leftKeys: [col("lk")], rightKeys: [col("rk")], buildSide: "right", schema: { fields: [...leftSchema.fields, ...rightSchema.fields] }, outputPartitioning: { kind: "unknown", n: 1 } };
    const got = await rowsOf(node, fakeContext({ tables: { ...l.tables, ...r.tables } }));
    expect(sortRows(got)).toEqual(sortRows(leftRows.map((x) => ({ ...x, rk: null, rk2: null, rv: null }))));
  });
});
