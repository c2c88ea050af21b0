/**
 * Exact median/percentile (Spark's `percentile`: linear interpolation between the closest ranks).
 * Values are kept as (group id, value) chunks (grouped-values.ts), grouped once by a counting
 * sort into a single Float64Array, and each group's slice is answered by quickselect (O(n), not a
 * sort; select-kth.ts). The partial state is a list<float64> per group, its values already
 * grouped, so the final side merges it by copying whole segments.
 */
import type { Column } from "../../../batch/column.js";
import { Types } from "../../../expr/types.js";
import type { ListColumn } from "../../../batch/ops/column-types.js";
import type { Accumulator } from "./accumulator.js";
import { ValueGroups } from "./grouped-values.js";
import { numericInput } from "./numeric-kernels.js";
import { percentileOfSlice } from "./select-kth.js";

export { type GroupedValues } from "./grouped-values.js";
export { percentileOfSlice, selectKth } from "./select-kth.js";

export class PercentileAccumulator implements Accumulator {
  readonly stateTypes = [Types.list(Types.float64)];
  private readonly groups = new ValueGroups();

  constructor(private readonly p: number) {}

  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    this.groups.addRows(gids, numericInput(args[0]!), length, numGroups);
  }

  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void {
    const list = states[0] as ListColumn;
    const child = numericInput(list.child);
    if (child.kind === "none" || length === 0) return;
    // Our own states carry no nulls in the values; a list<int> state would come from elsewhere.
    const values = child.kind === "f64" && child.validity === undefined ? child.values : Float64Array.from(child.values);
    this.groups.addSegments(gids, list.offsets, values, length, numGroups);
  }

  state(numGroups: number): Column[] {
    const { values, offsets } = this.groups.group(numGroups);
    const child: Column = { type: Types.float64, length: values.length, values, validity: undefined };
    return [{ type: Types.list(Types.float64), length: numGroups, offsets, child, validity: undefined } as Column];
  }

  finish(numGroups: number): Column {
    const out = new Float64Array(numGroups);
    const flags = new Uint8Array((numGroups + 7) >>> 3);
    let anyNull = false;
    const p = this.p;
    this.groups.eachGroup(numGroups, (a, s, e, g) => {
      if (e === s) { anyNull = true; return; }
      out[g] = percentileOfSlice(a, s, e, p);
      flags[g >>> 3]! |= 1 << (g & 7);
    });
    return { type: Types.float64, length: numGroups, values: out, validity: anyNull ? flags : undefined };
  }

  memoryBytes(): number {
    return this.groups.memoryBytes();
  }
}
