/** Rewrites `cell[N]:line:column` in a stack trace from compiled-script positions to the cell's TypeScript. */
import type { CellPositionMap } from "./cell-compiler.js";

const FRAME = /cell\[(\d+)\]:(\d+):(\d+)/g;

/**
 * Maps every frame of a known cell; a frame of a known cell that maps to no line of it is the
 * compiler's own wrapper (the `})()` that starts the cell) and is dropped, so users only see
 * their code.
 */
export function mapStackFrames(stack: string, positionsOf: (filename: string) => CellPositionMap | undefined): string {
  const lines = stack.split("\n");
  const kept: string[] = [];
  for (const line of lines) {
    let wrapperFrame = false;
    const mapped = line.replace(FRAME, (frame, n: string, row: string, column: string) => {
      const positions = positionsOf(`cell[${n}]`);
      if (positions === undefined) return frame;
      const position = positions.toCell(Number(row), Number(column));
      if (position === undefined) {
        wrapperFrame = true;
        return frame;
      }
      return `cell[${n}]:${position.line}:${position.column}`;
    });
    if (!wrapperFrame) kept.push(mapped);
  }
  return kept.join("\n");
}
