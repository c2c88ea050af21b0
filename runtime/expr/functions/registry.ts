/**
 * The scalar function registry: every function the analyzer can type and a worker can run, by its
 * lowercase snake_case name (Spark SQL's). Adding a function = adding it to its family file.
 */
import { calendarFunctions } from "./calendar-functions.js";
import { conditionalFunctions } from "./conditional-functions.js";
import { datetimeFunctions } from "./datetime-functions.js";
import type { FunctionDef } from "./function-def.js";
import { listFunctions as listFamily } from "./list-functions.js";
import { mathFunctions } from "./math-functions.js";
import { moreStringFunctions } from "./more-string-functions.js";
import { regexFunctions } from "./regex-functions.js";
import { stringFunctions } from "./string-functions.js";

export type { FunctionDef, FunctionDoc, Kernel, KernelContext } from "./function-def.js";

const ALL: readonly FunctionDef[] = [
  ...conditionalFunctions, ...stringFunctions, ...moreStringFunctions, ...regexFunctions, ...datetimeFunctions,
  ...calendarFunctions, ...mathFunctions, ...listFamily,
];

/** Other spellings users (and Spark) use for the same function. */
const ALIASES: Readonly<Record<string, string>> = {
  substr: "substring",
  power: "pow",
  day: "dayofmonth",
  char_length: "length",
  character_length: "length",
  lcase: "lower",
  ucase: "upper",
  ceiling: "ceil",
  sign: "signum",
  regexp_like: "rlike",
  starts_with: "startswith",
  ends_with: "endswith",
};

const BY_NAME: ReadonlyMap<string, FunctionDef> = (() => {
  const m = new Map<string, FunctionDef>();
  for (const f of ALL) {
    if (m.has(f.name)) throw new Error(`function ${f.name} is registered twice`);
    m.set(f.name, f);
  }
  for (const [alias, target] of Object.entries(ALIASES)) m.set(alias, m.get(target)!);
  return m;
})();

/** Looks a function up by name (case-insensitive; camelCase `regexpExtract` also finds `regexp_extract`). */
export function getFunction(name: string): FunctionDef | undefined {
  return BY_NAME.get(name) ?? BY_NAME.get(normalizeName(name));
}

export function normalizeName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/** Every function once (aliases excluded), in registry order. */
export function listFunctions(): readonly FunctionDef[] {
  return ALL;
}

/** Names close to `name`, for "did you mean" messages. */
export function suggestFunctions(name: string): string[] {
  const n = normalizeName(name);
  return [...BY_NAME.keys()]
    .map((k) => [k, editDistance(k, n)] as const)
    .filter(([, d]) => d <= Math.max(2, Math.floor(n.length / 3)))
    .sort((a, b) => a[1] - b[1])
    .slice(0, 3)
    .map(([k]) => k);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
