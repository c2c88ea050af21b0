import { describe, expect, it } from "vitest";
import { batchesToRows, rowsToBatches } from "../../../runtime/batch/rows.js";
import { Types } from "../../../runtime/expr/types.js";
import { sliceBatch } from "../../../runtime/worker/operators/limit.js";
import { schemaOf, type Row } from "./helpers.js";

describe("sliceBatch", () => {
  it("copies rows [start, end) of every type, with nulls, at aligned and unaligned starts", () => {
    const schema = schemaOf({ i: Types.int32, b: Types.int64, f: Types.float64, s: Types.string, t: Types.bool, l: Types.list(Types.int32) });
    const rows: Row[] = Array.from({ length: 37 }, (_, k) => ({
      i: k % 3 === 0 ? null : k, b: k % 5 === 0 ? null : BigInt(k) * 3n ** 30n, f: k % 4 === 0 ? null : k / 7,
      s: k % 6 === 0 ? null : "é".repeat(k % 4) + k, t: k % 7 === 0 ? null : k % 2 === 0, l: k % 8 === 0 ? null : [k, k + 1].slice(0, k % 3),
    }));
    const [batch] = rowsToBatches(rows, schema, 100);
    for (const [start, end] of [[0, 37], [0, 8], [8, 24], [3, 4], [5, 30], [13, 37], [36, 37], [10, 10]] as const) {
      expect(batchesToRows([sliceBatch(batch!, start, end)]), `${start}..${end}`).toEqual(batchesToRows([batch!]).slice(start, end));
    }
  });
});
