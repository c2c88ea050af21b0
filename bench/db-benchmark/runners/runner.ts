/** What every engine's runner does: load the task's tables its fastest native way, answer questions. */
import type { Answer, Question, Task } from "../questions.js";

export interface DataFiles {
  /** Table name (x, small, medium, big) -> file path without extension (".csv" and ".arrow" exist). */
  readonly tables: Readonly<Record<string, string>>;
}

export interface EngineRunner {
  readonly name: string;
  readonly version: string;
  load(task: Task, files: DataFiles): Promise<void>;
  /** Runs the question and materializes its answer (timed). */
  run(question: Question): Promise<void>;
  /** Row count and checksum sums of the last answer (not timed). */
  answer(question: Question): Promise<Answer>;
  /** Drops the last answer, as db-benchmark's scripts do (`del ans` / `rm(ans)`) before the next run. */
  release(): Promise<void>;
  close(): Promise<void>;
}
