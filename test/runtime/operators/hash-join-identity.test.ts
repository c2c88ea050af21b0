/**
 * Build sides whose every row has its own key (a null key included): the join uses the key id as
 * the build row and keeps no row lists. Every join type, with and without an extra condition, must
 * give the rows of a nested-loop reference, unmatched build rows included.
 */
import { describe, expect, it } from "vitest";
import type { Expr } from "../../../runtime/expr/ir.js";
import { Types } from "../../../runtime/expr/types.js";
import type { JoinType } from "../../../runtime/logical/plan.js";
import type { PhysicalPlan } from "../../../runtime/physical/plan.js";
import { col, fakeContext, id, nestedLoopJoinRows, rowsOf, schemaOf, sortRows, table, type Row } from "./helpers.js";

const leftSchema = schemaOf({ lk: Types.int32, lv: Types.int32 });
const rightSchema = schemaOf({ rk: Types.int32, rv: Types.float64 });
const leftRows: Row[] = [
  { lk: 1, lv: 1 }, { lk: 1, lv: 2 }, { lk: 2, lv: 3 }, { lk: null, lv: 4 }, { lk: 5, lv: 5 }, { lk: 3, lv: 6 }, { lk: 9, lv: 7 },
];
// Unique keys in row order, one null key, some never matched (4, 7).
const rightRows: Row[] = [{ rk: 3, rv: 10 }, { rk: 1, rv: 1.5 }, { rk: null, rv: 30 }, { rk: 4, rv: 40 }, { rk: 2, rv: 2.5 }, { rk: 7, rv: 70 }];

const reference = (how: JoinType, cond?: (l: Row, r: Row) => boolean): Row[] =>
  nestedLoopJoinRows(how, leftRows, rightRows, [["lk", "rk"]], cond);

function join(how: JoinType, condition?: Expr): { node: PhysicalPlan; tables: object } {
  const l = table("L", leftSchema, [leftRows], 3);
  const r = table("R", rightSchema, [rightRows], 4);
  const schema = how === "semi" || how === "anti" ? leftSchema : { fields: [...leftSchema.fields, ...rightSchema.fields] };
  const node: PhysicalPlan = {
    kind: "HashJoinExec", id: id(), mode: "partitioned", how, buildSide: how === "right" ? "left" : "right", schema,
    outputPartitioning: { kind: "unknown", n: 1 }, left: l.node, right: r.node, leftKeys: [col("lk")], rightKeys: [col("rk")],
    ...(condition ? { condition } : {}),
  };
  return { node, tables: { ...l.tables, ...r.tables } };
}

describe("HashJoinExec over a build side with one row per key", () => {
  for (const how of ["inner", "left", "right", "full", "semi", "anti"] as const) {
    it(`${how} join gives the reference rows`, async () => {
      const j = join(how);
      expect(sortRows(await rowsOf(j.node, fakeContext({ tables: j.tables as never })))).toEqual(sortRows(reference(how)));
    });
    it(`${how} join with an extra condition gives the reference rows`, async () => {
      const cond: Expr = { kind: "Binary", op: "<", left: { kind: "Cast", expr: col("lv"), to: Types.float64 }, right: col("rv") };
      const j = join(how, cond);
      expect(sortRows(await rowsOf(j.node, fakeContext({ tables: j.tables as never })))).toEqual(sortRows(reference(how, (l, r) => (l["lv"] as number) < (r["rv"] as number))));
    });
  }
});
