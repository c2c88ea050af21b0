/**
 * Errors raised by operators inside a task. ResourcesExhausted is the scheduler's class (it
 * crosses threads by name); operators build its message here so it always names stage,
 * partition and limit. The TaskContext's reservation also throws it itself when spilling is off.
 */
import { formatBytes, ResourcesExhausted } from "../../scheduler/errors.js";
import type { TaskContext } from "../task-context.js";

export { ResourcesExhausted };

export class OperatorError extends Error {
  override readonly name: string = "OperatorError";
}

export function resourcesExhausted(operator: string, ctx: TaskContext, reservedBytes: number, requestedBytes: number): ResourcesExhausted {
  return new ResourcesExhausted(
    `ResourcesExhausted: stage ${ctx.stageId}, partition ${ctx.partition}: ${operator} needs ${formatBytes(reservedBytes + requestedBytes)} ` +
      `but the memory budget per worker allowed ${formatBytes(reservedBytes)} and spilling is off. ` +
      `Enable spilling, raise the memory budget, or use more partitions.`,
  );
}
