/** `spark.range(start, end, step)`: one int64 column "id", split evenly over the partitions. */
import type { Batch } from "../batch/column.js";
import type { SourceRef } from "../logical/plan.js";
import type { Schema } from "../expr/types.js";

export const RANGE_SCHEMA: Schema = { fields: [{ name: "id", type: { kind: "int64" }, nullable: false }] };
const BATCH_ROWS = 65_536;

export function* rangeBatches(source: SourceRef & { kind: "range" }, partition: number): Generator<Batch> {
  const { start, end, step } = source;
  if (step === 0n) throw new Error("range(): step must not be 0.");
  const total = step > 0n ? (end > start ? (end - start + step - 1n) / step : 0n) : start > end ? (start - end - step - 1n) / -step : 0n;
  const parts = BigInt(Math.max(1, source.partitions));
  const p = BigInt(partition);
  const from = (total * p) / parts;
  const to = (total * (p + 1n)) / parts;
  for (let i = from; i < to; i += BigInt(BATCH_ROWS)) {
    const n = Number(to - i < BigInt(BATCH_ROWS) ? to - i : BigInt(BATCH_ROWS));
    const values = new BigInt64Array(n);
    const first = start + i * step;
    const last = first + BigInt(n - 1) * step;
    const small = (x: bigint): boolean => x >= -(2n ** 31n) && x < 2n ** 31n;
    if (small(first) && small(last) && small(step)) {
      // Fast path without BigInt per row: write the 32-bit halves directly (little-endian).
      const halves = new Int32Array(values.buffer);
      const f = Number(first);
      const s = Number(step);
      for (let k = 0; k < n; k++) {
        const x = f + k * s;
        halves[2 * k] = x;
        halves[2 * k + 1] = x < 0 ? -1 : 0;
      }
    } else {
      let v = first;
      for (let k = 0; k < n; k++, v += step) values[k] = v;
    }
    yield { schema: RANGE_SCHEMA, length: n, columns: [{ type: { kind: "int64" }, length: n, values, validity: undefined }] };
  }
}
