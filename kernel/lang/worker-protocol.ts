/** Messages between the language tools client (kernel main thread) and its worker thread. */
import type { CellDiagnostic, CompiledCell, EmittedCell, CompletionResult, InspectResult, IsCompleteResult } from "./api.js";

export interface LanguageMethods {
  compile: { params: [code: string, n: number]; result: CompiledCell };
  emit: { params: [code: string, n: number]; result: EmittedCell };
  checkEmitted: { params: []; result: CellDiagnostic[] };
  commit: { params: [code: string, n: number]; result: void };
  complete: { params: [code: string, cursorPos: number]; result: CompletionResult };
  inspect: { params: [code: string, cursorPos: number, detailLevel: 0 | 1]; result: InspectResult };
  isComplete: { params: [code: string]; result: IsCompleteResult };
  mapStack: { params: [stack: string]; result: string };
  setStrict: { params: [strict: boolean]; result: void };
}

export type MethodName = keyof LanguageMethods;

export interface WorkerRequest<M extends MethodName = MethodName> {
  readonly id: number;
  readonly method: M;
  readonly params: LanguageMethods[M]["params"];
}

export type WorkerResponse =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: string };

export interface WorkerStartData {
  readonly cwd: string;
}
