/**
 * Renders docs/functions.md from the registry, so the reference cannot drift from the code.
 * Regenerate with: UPDATE_FUNCTION_DOCS=1 npx vitest run test/runtime/expr/functions/registry.test.ts
 */
import { listFunctions } from "./registry.js";

const FAMILIES: readonly (readonly [string, readonly string[]])[] = [
  ["Null handling and choice", ["coalesce", "ifnull", "nvl", "nullif", "greatest", "least"]],
  ["Strings", ["lower", "upper", "initcap", "trim", "ltrim", "rtrim", "lpad", "rpad", "substring", "concat", "concat_ws", "length", "instr", "startswith", "endswith", "contains", "reverse", "repeat"]],
  ["Patterns and regular expressions", ["like", "rlike", "regexp_extract", "regexp_replace", "split"]],
  ["Dates and timestamps", ["to_date", "to_timestamp", "date_trunc", "datediff", "date_add", "date_sub", "year", "quarter", "month", "dayofmonth", "dayofweek", "dayofyear", "hour", "minute", "second", "unix_timestamp", "from_unixtime", "date_format", "current_date", "current_timestamp", "add_months", "last_day", "weekofyear"]],
  ["Lists", ["size", "array_contains", "element_at"]],
  ["Math", ["abs", "round", "floor", "ceil", "log", "ln", "log10", "log2", "exp", "sqrt", "signum", "pow", "isnan"]],
];

export function renderFunctionsMarkdown(): string {
  const byName = new Map(listFunctions().map((f) => [f.name, f]));
  const listed = new Set(FAMILIES.flatMap(([, n]) => n));
  const missing = [...byName.keys()].filter((n) => !listed.has(n));
  if (missing.length) throw new Error(`add ${missing.join(", ")} to a section in docs-markdown.ts`);
  let md = `# Scalar functions

Every scalar function the engine evaluates, by its registry name (Spark SQL's, snake_case). The
DataFrame API's \`F\` namespace exposes them in camelCase (\`F.regexpExtract\` = \`regexp_extract\`).
Other accepted spellings: substr, power, day, char_length, character_length, lcase, ucase, ceiling,
sign, regexp_like, starts_with, ends_with.

Conventions (all functions unless a description says otherwise):

- **Nulls**: a null argument gives a null result. Exceptions are said in the description
  (coalesce/greatest/least skip nulls, concat_ws skips them, isnan gives false).
- **Implicit casts**: arguments are cast to the parameter type before the function runs: numbers
  widen to float64 for math functions, any scalar becomes text for string parameters
  (\`lower(42)\` = "42"), strings and timestamps become dates for date parameters. A value that
  cannot be cast (for example the text "abc" read as a date) becomes null, like Spark's default
  (non-ANSI) mode.
- **Types**: dates are days since 1970-01-01, timestamps microseconds since the epoch, **in UTC**.
  Text lengths and positions count characters (Unicode code points), positions are 1-based.
- **Regular expressions** use JavaScript syntax, which agrees with Java's for the usual subset
  (classes, groups, quantifiers, anchors, \`\\d\`, \`\\w\`); \`$1\` in a replacement inserts group 1.
- **Datetime patterns** use Spark's letters: \`yyyy\` \`yy\` \`MM\` \`M\` \`MMM\` \`MMMM\` \`dd\` \`d\` \`HH\` \`hh\` \`mm\` \`ss\`
  \`SSS\` (fraction) \`a\` (AM/PM) \`EEE\` (weekday) \`XXX\`/\`Z\` (zone offset) and \`'quoted text'\`.
  Text that does not match the pattern gives null.
- **Errors**: an invalid regex, an unknown date_trunc unit or an unsupported pattern letter fails
  the query with a message that names the function and the offending text (not retried).

`;
  for (const [title, names] of FAMILIES) {
    md += `## ${title}\n\n`;
    for (const n of names) {
      const f = byName.get(n)!;
      md += `### ${f.name}\n\n\`${f.doc.signature}\`\n\n${f.doc.description}\n\n\`\`\`ts\n${f.doc.example}\n\`\`\`\n\n`;
    }
  }
  md += `## Operators (not functions, listed for completeness)

- Arithmetic \`+ - * / %\`: operands widen int32 < int64 < decimal < float64; \`/\` gives float64
  (decimal / decimal stays decimal with at least 6 fraction digits); \`x / 0\` and \`x % 0\` give null.
  int32 overflow wraps, int64 is exact beyond 2^53, decimal overflow gives null.
- Comparisons \`= != < <= > >=\` give null when either side is null; \`<=>\` (eqNullSafe) is never
  null. Strings compare by Unicode code point; dates compare with timestamps at UTC midnight.
  As in Spark, NaN equals NaN and is larger than any other number (\`isnan\` tests for it).
- \`and\` / \`or\` use three-valued logic: \`false and null\` is false, \`true or null\` is true.
- \`isin(...)\`: \`x IN (1, null)\` is null when x is not 1 (SQL rule).
- \`cast\`: text that does not parse gives null; float to integer truncates toward zero (NaN gives 0,
  out of range saturates); int64 to int32 wraps; doubles print as Java does (\`1.0\`, \`1.0E7\`).

## User functions (\`F.udf\`)

A UDF runs in the worker threads, once per row, with plain JavaScript values:

| column type | the function receives | it may return |
| --- | --- | --- |
| bool, int32, float64, string | boolean, number, string | the same |
| int64, decimal | number (exact up to 2^53) | number or bigint |
| date, timestamp | \`Date\` (UTC) | \`Date\` or an ISO string |
| list | array | array |
| any null | \`null\` (the function is still called) | \`null\` / \`undefined\` for null |

A UDF that throws fails the query with its message and the row it was called on
(\`UDF "score" threw: ... at row {amount: 3, city: "Bern"}\`); the query is not retried, since the
same row would fail again. Returning a value of the wrong type is reported the same way.
`;
  return md;
}
