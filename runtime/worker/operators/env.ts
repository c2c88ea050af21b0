/** What every operator receives besides its node: the task context and its instrumented inputs. */
import type { Batch } from "../../batch/column.js";
import type { PhysicalPlan } from "../../physical/plan.js";
import type { OperatorMetricsRecorder, TaskContext } from "../task-context.js";

export interface OperatorEnv {
  readonly ctx: TaskContext;
  /** Runs a child plan; its rows count as this operator's rows in. */
  input(child: PhysicalPlan): AsyncIterable<Batch>;
  readonly metrics: OperatorMetricsRecorder;
}

export type NodeOf<K extends PhysicalPlan["kind"]> = Extract<PhysicalPlan, { kind: K }>;
