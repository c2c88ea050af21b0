/**
 * User-defined scalar functions. A UDF runs in worker threads, where only its source text arrives
 * (functions cannot cross threads), so a function that reads a variable from outside its own body
 * would fail far from where it was written. We parse the source with acorn at definition time and
 * reject free variables by name, which turns that remote failure into an error on the cell's line.
 */
import { parse } from "acorn";
import { Column, type ColumnLike, toColumnExpr } from "../expr/column.js";
import { parseType, type TypeSpec } from "../expr/type-spec.js";

/** Globals a worker has too, so using them is not a closure. */
const WORKER_GLOBALS = new Set([
  "Math", "Number", "String", "Boolean", "Date", "JSON", "Array", "Object", "RegExp", "BigInt", "Map", "Set",
  "Symbol", "Intl", "Error", "TypeError", "RangeError", "parseInt", "parseFloat", "isNaN", "isFinite",
  "undefined", "NaN", "Infinity", "encodeURIComponent", "decodeURIComponent", "console", "arguments",
  "Uint8Array", "Int32Array", "Float64Array", "BigInt64Array", "TextEncoder", "TextDecoder", "structuredClone",
]);

export class UdfDefinitionError extends Error {
  override readonly name = "UdfDefinitionError";
}

type AstNode = { readonly type: string; readonly [key: string]: unknown };

function isNode(value: unknown): value is AstNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** Parses a function's source text, accepting function expressions, arrows and method shorthand. */
function parseFunction(source: string): AstNode {
  for (const candidate of [`(${source})`, `(function ${source})`]) {
    try {
      return parse(candidate, { ecmaVersion: "latest", sourceType: "script" }) as unknown as AstNode;
    } catch {
      // try the next shape
    }
  }
  throw new UdfDefinitionError("F.udf: could not read the function's source; pass a plain function or arrow function");
}

function bindingNames(pattern: unknown, out: Set<string>): void {
  if (!isNode(pattern)) return;
  switch (pattern.type) {
    case "Identifier": out.add(pattern["name"] as string); break;
    case "ObjectPattern": for (const p of pattern["properties"] as unknown[]) bindingNames(isNode(p) && p.type === "Property" ? p["value"] : p, out); break;
    case "ArrayPattern": for (const e of pattern["elements"] as unknown[]) bindingNames(e, out); break;
    case "RestElement": bindingNames(pattern["argument"], out); break;
    case "AssignmentPattern": bindingNames(pattern["left"], out); break;
  }
}

/** Names declared anywhere inside the function (block scoping is ignored: lenient, never a false alarm). */
function collectDeclared(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) { for (const n of node) collectDeclared(n, out); return; }
  if (!isNode(node)) return;
  switch (node.type) {
    case "VariableDeclarator": bindingNames(node["id"], out); break;
    case "FunctionDeclaration": case "FunctionExpression": case "ArrowFunctionExpression":
      bindingNames(node["id"], out);
      for (const p of node["params"] as unknown[]) bindingNames(p, out);
      break;
    case "ClassDeclaration": case "ClassExpression": bindingNames(node["id"], out); break;
    case "CatchClause": bindingNames(node["param"], out); break;
  }
  for (const [key, child] of Object.entries(node)) if (key !== "type") collectDeclared(child, out);
}

/** Identifiers used as values (not property names, labels or member accesses). */
function collectReferences(node: unknown, out: Set<string>): void {
  if (Array.isArray(node)) { for (const n of node) collectReferences(n, out); return; }
  if (!isNode(node)) return;
  if (node.type === "Identifier") { out.add(node["name"] as string); return; }
  for (const [key, child] of Object.entries(node)) {
    if (key === "type") continue;
    const computed = node["computed"] === true;
    if (key === "property" && node.type === "MemberExpression" && !computed) continue;
    if (key === "key" && (node.type === "Property" || node.type === "MethodDefinition" || node.type === "PropertyDefinition") && !computed) continue;
    if (key === "label") continue;
    collectReferences(child, out);
  }
}

/** Variables the function reads from its enclosing scopes (the closure), in order of appearance. */
export function freeVariables(source: string): string[] {
  const program = parseFunction(source);
  const declared = new Set<string>();
  const referenced = new Set<string>();
  collectDeclared(program, declared);
  collectReferences(program, referenced);
  return [...referenced].filter((n) => !declared.has(n) && !WORKER_GLOBALS.has(n));
}

export type UdfFunction = (...args: ColumnLike[]) => Column;

/**
 * `const score = F.udf((x: number) => x * 2 + 1, "float64"); df.select(score("amount"))`.
 * The function receives JS values per row (null for nulls) and must use only its arguments and globals.
 */
export function udf(fn: (...args: never[]) => unknown, returnType: TypeSpec, options: { name?: string } = {}): UdfFunction {
  try {
    return defineUdf(fn, returnType, options);
  } catch (error) {
    // Start the stack at the user's F.udf(...) line, which the kernel maps to the cell.
    if (error instanceof UdfDefinitionError) Error.captureStackTrace(error, udf);
    throw error;
  }
}

function defineUdf(fn: (...args: never[]) => unknown, returnType: TypeSpec, options: { name?: string }): UdfFunction {
  if (typeof fn !== "function") throw new UdfDefinitionError("F.udf: the first argument must be a function");
  const source = fn.toString();
  if (/^\s*async\b/.test(source)) throw new UdfDefinitionError("F.udf: async functions are not supported; UDFs run per row synchronously");
  if (source.includes("[native code]")) throw new UdfDefinitionError("F.udf: built-in or bound functions have no source to send to workers; wrap it: (x) => Math.abs(x)");
  const free = freeVariables(source);
  const name = options.name ?? (fn.name || "udf");
  if (free.length > 0) {
    const list = free.map((n) => `"${n}"`).join(", ");
    throw new UdfDefinitionError(
      `F.udf(${name}): the function uses ${list} from outside its body. UDFs run in worker threads and cannot see ` +
        `outer variables; pass the value as an argument (e.g. lit(${free[0]})) or write it inline.`,
    );
  }
  const type = parseType(returnType);
  return (...args: ColumnLike[]): Column =>
    new Column({ kind: "Udf", name, source, returnType: type, args: args.map(toColumnExpr) });
}
