import type { Batch } from "../../../runtime/batch/column.js";
import type { Expr } from "../../../runtime/expr/ir.js";
import type { Schema } from "../../../runtime/expr/types.js";
import type { SourceRef } from "../../../runtime/logical/plan.js";
import type { PhysicalPlan, Partitioning } from "../../../runtime/physical/plan.js";
import type { TaskSpec } from "../../../runtime/worker/protocol.js";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const fixtureExecutor = new URL("./fixtures/executor.ts", import.meta.url).href;
export const brokenExecutor = new URL("./fixtures/broken-executor.ts", import.meta.url).href;

export const intSchema: Schema = { fields: [{ name: "k", type: { kind: "int32" }, nullable: false }, { name: "v", type: { kind: "float64" }, nullable: true }] };

export function scan(source: SourceRef, schema: Schema, outputPartitioning: Partitioning, id = 1): PhysicalPlan {
  return { kind: "ScanExec", id, schema, outputPartitioning, source, filters: [] };
}

export function faultFilter(input: PhysicalPlan, kind: string, id = 2): PhysicalPlan {
  const predicate: Expr = { kind: "Call", fn: "__fault", args: [{ kind: "Literal", value: kind, type: { kind: "string" } }] };
  return { kind: "FilterExec", id, schema: input.schema, outputPartitioning: input.outputPartitioning, input, predicate };
}

let nextTask = 1;
export function taskSpec(fragment: PhysicalPlan, tables: Record<string, readonly (readonly Batch[])[]>, over: Partial<TaskSpec> = {}): TaskSpec {
  return {
    taskId: nextTask++,
    jobId: 1,
    stageId: 0,
    partition: 0,
    attempt: 0,
    numPartitions: 1,
    fragment,
    output: { kind: "collect", shared: false },
    tables,
    exchanges: {},
    broadcasts: {},
    caches: {},
    memoryBudget: undefined,
    spill: true,
    cancelFlag: new Int32Array(new SharedArrayBuffer(4)),
    tmpRoot: join(tmpdir(), "kindling-test"),
    ...over,
  };
}
