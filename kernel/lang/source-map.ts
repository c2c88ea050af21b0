/**
 * Just enough of the source map v3 format to look up where a generated line/column came from:
 * TypeScript's transpiler emits one map per cell and we only ever need "generated -> original".
 */

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;

/** One mapping: generated column (0-based) -> original line and column (0-based). */
interface Mapping {
  readonly generatedColumn: number;
  readonly originalLine: number;
  readonly originalColumn: number;
}

export interface LineColumn {
  /** 0-based. */
  readonly line: number;
  /** 0-based, UTF-16 units. */
  readonly column: number;
}

export class SourceMapLookup {
  private readonly lines: Mapping[][];

  constructor(mappings: string) {
    this.lines = decodeMappings(mappings);
  }

  /** The map of a text that is its own output: every line maps to the same line, column to column. */
  static identity(text: string): SourceMapLookup {
    let lines = 1;
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) lines++;
    // First line: generated column 0 -> source 0, line 0, column 0; each next line: one line further down.
    return new SourceMapLookup(`AAAA${";AACA".repeat(lines - 1)}`);
  }

  static fromJson(json: string): SourceMapLookup {
    const parsed = JSON.parse(json) as { mappings?: unknown };
    return new SourceMapLookup(typeof parsed.mappings === "string" ? parsed.mappings : "");
  }

  /** Original position of a generated one (both 0-based); undefined when the line has no mapping. */
  originalPosition(line: number, column: number): LineColumn | undefined {
    const row = this.lines[line];
    if (row === undefined || row.length === 0) return undefined;
    let best: Mapping | undefined;
    for (const mapping of row) {
      if (mapping.generatedColumn <= column) best = mapping;
      else break;
    }
    const chosen = best ?? row[0]!;
    const offset = best === undefined ? 0 : column - chosen.generatedColumn;
    return { line: chosen.originalLine, column: chosen.originalColumn + offset };
  }
}

function decodeMappings(mappings: string): Mapping[][] {
  const lines: Mapping[][] = [[]];
  // Fields are deltas; the source index (one source per cell) and name index are not needed.
  let originalLine = 0;
  let originalColumn = 0;
  let generatedColumn = 0;
  let i = 0;
  const values: number[] = [];
  while (i < mappings.length) {
    const char = mappings[i];
    if (char === ";") {
      lines.push([]);
      generatedColumn = 0;
      i++;
      continue;
    }
    if (char === ",") {
      i++;
      continue;
    }
    values.length = 0;
    while (i < mappings.length && mappings[i] !== "," && mappings[i] !== ";") {
      let result = 0;
      let shift = 0;
      let digit: number;
      do {
        digit = DIGIT[mappings.charCodeAt(i++)] ?? -1;
        if (digit < 0) throw new Error("invalid source map mappings");
        result += (digit & 31) << shift;
        shift += 5;
      } while (digit & 32);
      values.push(result & 1 ? -(result >>> 1) : result >>> 1);
    }
    generatedColumn += values[0] ?? 0;
    if (values.length >= 4) {
      originalLine += values[2]!;
      originalColumn += values[3]!;
      lines[lines.length - 1]!.push({ generatedColumn, originalLine, originalColumn });
    }
  }
  return lines;
}
