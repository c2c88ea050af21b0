/** Line/column helpers shared by the compiler, the checker and the stack mapper. */
import { utf16ToCodePoints } from "./code-points.js";

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 0-based line of a UTF-16 offset. */
export function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

export interface CellPosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in Unicode code points. */
  readonly column: number;
}

/** 1-based line and code-point column of a 0-based line and UTF-16 column of `text`. */
export function toCellPosition(text: string, starts: readonly number[], line: number, utf16Column: number): CellPosition {
  const lineStart = starts[Math.min(line, starts.length - 1)] ?? 0;
  const column = utf16ToCodePoints(text.slice(lineStart), utf16Column);
  return { line: line + 1, column: column + 1 };
}

/** 1-based line and code-point column of a UTF-16 offset in `text`. */
export function offsetToCellPosition(text: string, offset: number): CellPosition {
  const starts = lineStarts(text);
  const line = lineOf(starts, offset);
  return toCellPosition(text, starts, line, offset - starts[line]!);
}
