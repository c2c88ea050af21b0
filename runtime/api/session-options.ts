/**
 * Checks session() options before they reach the engine, so a typo'd or impossible value fails
 * where it is written ("shufflePartitions must be a whole number of at least 1, got 0") instead of
 * as a hang, an empty answer or a crash inside a worker later.
 */
import { AnalysisError } from "../logical/errors.js";
import type { SessionOptions } from "./session.js";

function fail(name: string, rule: string, value: unknown): never {
  throw new AnalysisError(`session(): ${name} must be ${rule}, got ${typeof value === "number" || typeof value === "bigint" ? String(value) : JSON.stringify(value) ?? String(value)}`);
}

const isNumber = (v: unknown): v is number => typeof v === "number" && !Number.isNaN(v);

export function validateSessionOptions(options: SessionOptions): void {
  const { workers, shufflePartitions, memoryBudget, shuffleMemory, autoBroadcastThreshold } = options;
  if (workers !== undefined && !(isNumber(workers) && Number.isInteger(workers) && workers >= 1)) fail("workers", "a whole number of at least 1", workers);
  if (shufflePartitions !== undefined && !(isNumber(shufflePartitions) && Number.isInteger(shufflePartitions) && shufflePartitions >= 1)) {
    fail("shufflePartitions", "a whole number of at least 1", shufflePartitions);
  }
  if (memoryBudget !== undefined && !(isNumber(memoryBudget) && memoryBudget > 0 && Number.isFinite(memoryBudget))) {
    fail("memoryBudget", "a number of bytes above 0 (leave it out for no budget)", memoryBudget);
  }
  if (shuffleMemory !== undefined && !(isNumber(shuffleMemory) && shuffleMemory >= 0)) {
    fail("shuffleMemory", "a number of bytes, 0 or more (0: every shuffle block goes to disk; Infinity: none does)", shuffleMemory);
  }
  if (autoBroadcastThreshold !== undefined && !(isNumber(autoBroadcastThreshold) && Number.isFinite(autoBroadcastThreshold))) {
    fail("autoBroadcastThreshold", "a number of bytes (-1 turns broadcast joins off)", autoBroadcastThreshold);
  }
}
