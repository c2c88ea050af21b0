/**
 * Errors the analyzer raises when a transformation is written (eager analysis), so they point at
 * the user's line rather than at a later action. Messages name the column or expression and say
 * how to fix it.
 */
export class AnalysisError extends Error {
  override readonly name = "AnalysisError";
}
