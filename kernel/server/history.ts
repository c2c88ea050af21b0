/**
 * Execution history for history_request: tail, range and search (glob pattern, optional unique),
 * kept in memory for this kernel session (session number 1; earlier sessions are not stored yet).
 */

export interface HistoryEntry {
  readonly line: number;
  readonly input: string;
  /** text/plain of the cell's execute_result, for history_request with output=true. */
  output?: string;
}

type HistoryRow = [number, number, string] | [number, number, [string, string | null]];

export interface HistoryQuery {
  hist_access_type?: unknown;
  output?: unknown;
  n?: unknown;
  session?: unknown;
  start?: unknown;
  stop?: unknown;
  pattern?: unknown;
  unique?: unknown;
}

const SESSION = 1;

export class History {
  private readonly entries: HistoryEntry[] = [];

  record(line: number, input: string): HistoryEntry {
    const entry: HistoryEntry = { line, input };
    this.entries.push(entry);
    return entry;
  }

  query(request: HistoryQuery): HistoryRow[] {
    const withOutput = request.output === true;
    const n = typeof request.n === "number" && request.n >= 0 ? request.n : this.entries.length;
    let selected: HistoryEntry[];
    switch (request.hist_access_type) {
      case "range": {
        const start = typeof request.start === "number" ? request.start : 1;
        const stop = typeof request.stop === "number" ? request.stop : Number.POSITIVE_INFINITY;
        const session = typeof request.session === "number" ? request.session : 0;
        // session 0 or negative means "this session" (relative), like IPython.
        selected = session <= 0 || session === SESSION ? this.entries.filter((e) => e.line >= start && e.line < stop) : [];
        break;
      }
      case "search": {
        const pattern = globToRegExp(typeof request.pattern === "string" ? request.pattern : "*");
        let matches = this.entries.filter((entry) => pattern.test(entry.input));
        if (request.unique === true) {
          const seen = new Set<string>();
          matches = matches.reverse().filter((entry) => !seen.has(entry.input) && seen.add(entry.input)).reverse();
        }
        selected = n === 0 ? matches : matches.slice(-n);
        break;
      }
      default: // "tail" and anything unspecified
        selected = n === 0 ? [] : this.entries.slice(-n);
    }
    return selected.map((entry) =>
      withOutput ? [SESSION, entry.line, [entry.input, entry.output ?? null]] : [SESSION, entry.line, entry.input],
    );
  }
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]");
  return new RegExp(`^${escaped}$`);
}
