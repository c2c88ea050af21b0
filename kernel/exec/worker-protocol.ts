/**
 * Messages between the kernel's main thread and the exec worker (the thread that runs user code).
 * Plain structured-cloneable data; a `runId` ties a cell's completion to the request that started it,
 * so a late answer from an interrupted run is recognised and ignored.
 */

export interface MimeBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface CellFailure {
  ename: string;
  evalue: string;
  /** V8 stack (frames name the cell's filename, e.g. "cell[3]"), mapped to TypeScript by the main thread. */
  stack: string;
}

export type RunResult =
  | { status: "ok"; value?: MimeBundle }
  | ({ status: "error" } & CellFailure);

export type UserExpressionResult =
  | ({ status: "ok" } & MimeBundle)
  | ({ status: "error" } & { ename: string; evalue: string; traceback: string[] });

export type ToWorker =
  | { kind: "run"; runId: number; js: string; filename: string }
  | { kind: "evaluate"; runId: number; expressions: Record<string, string> }
  | { kind: "cancel" }
  | { kind: "input-reply"; requestId: number; value: string }
  | { kind: "input-error"; requestId: number; message: string }
  | { kind: "ping"; id: number };

export type FromWorker =
  | { kind: "ready" }
  | { kind: "stream"; name: "stdout" | "stderr"; text: string }
  | { kind: "display"; bundle: MimeBundle; displayId?: string; update: boolean }
  | { kind: "clear"; wait: boolean }
  | { kind: "input"; requestId: number; prompt: string; password: boolean }
  | { kind: "done"; runId: number; result: RunResult }
  | { kind: "evaluated"; runId: number; results: Record<string, UserExpressionResult> }
  | { kind: "uncaught"; failure: CellFailure; origin: "exception" | "rejection" }
  | { kind: "pong"; id: number };
