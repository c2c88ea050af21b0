/**
 * Rewrites the JavaScript that TypeScript emitted for one cell into a script for the kernel's
 * persistent vm context:
 *
 *   (async () => { "use strict"; <hoisted function bindings> <cell body> ; return {}; })()
 *
 * - top-level const/let/var/class become assignments to `globalThis`, so later cells see them and
 *   re-running a cell that declares `const x` simply assigns again;
 * - top-level functions stay declarations (hoisting keeps working) and are copied to `globalThis`
 *   before the body runs;
 * - static imports become `await globalThis.__kindling_import(spec)` plus global bindings, and
 *   dynamic `import(spec)` calls go to the same hook (a vm.Script has no module loader);
 * - the last expression statement becomes `return { value: (expr) }`.
 *
 * Edits never add or remove newlines inside the body, so a line of the output is the same line of
 * the emitted JavaScript and the transpiler's source map still applies.
 */
import ts from "typescript";
import { applyEdits, keepLineCount, type EditedText, type TextEdit } from "./text-edits.js";

export const IMPORT_HOOK = "globalThis.__kindling_import";
const GLOBAL = "globalThis.";
const WRAPPER_PREFIX = '(async () => { "use strict"; ';
const WRAPPER_SUFFIX = "\n;return {}; })()";

export interface RewrittenScript {
  readonly edited: EditedText;
  /** The full script: wrapper prefix + edited body + wrapper suffix. */
  readonly script: string;
  /** Length of the prefix put before the body on line 1 (the edited text's own line 1). */
  readonly prefixLength: number;
}

/** `parsed`: the same text already parsed with parent pointers (a cell that is plain JavaScript). */
export function rewriteEmittedJs(js: string, parsed?: ts.SourceFile): RewrittenScript {
  const file = parsed !== undefined && parsed.text === js ? parsed : ts.createSourceFile("cell.js", js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits: TextEdit[] = [];
  const hoisted: string[] = [];
  const statements = file.statements;
  const last = lastValueStatement(statements);
  let importCount = 0;

  for (const statement of statements) {
    if (ts.isImportDeclaration(statement)) {
      edits.push(replaceKeepingLines(file, statement, importReplacement(statement, importCount++)));
      continue;
    }
    if (ts.isExportDeclaration(statement)) {
      edits.push(replaceKeepingLines(file, statement, ""));
      continue;
    }
    if (ts.isExportAssignment(statement)) {
      edits.push({ start: statement.getStart(file), end: statement.expression.getStart(file), text: statement === last ? "return { value: (" : "(" });
      edits.push({ start: statement.expression.end, end: statement.expression.end, text: statement === last ? ") }" : ")" });
      collectDynamicImports(statement.expression, file, edits);
      continue;
    }
    if (ts.isVariableStatement(statement)) {
      rewriteVariableStatement(statement, file, edits);
    } else if (ts.isFunctionDeclaration(statement)) {
      const bodyStart = stripExportModifiers(statement, file, edits, "");
      if (statement.name !== undefined) hoisted.push(statement.name.text);
      else edits.push(...anonymousDefault(statement, bodyStart ?? statement.getStart(file), statement === last));
    } else if (ts.isClassDeclaration(statement)) {
      if (statement.name !== undefined) {
        const binding = `${GLOBAL}${statement.name.text} = `;
        if (stripExportModifiers(statement, file, edits, binding) === undefined) {
          edits.push({ start: classKeywordStart(statement, file), end: classKeywordStart(statement, file), text: binding });
        }
        edits.push({ start: statement.end, end: statement.end, text: ";" });
      } else {
        const bodyStart = stripExportModifiers(statement, file, edits, "");
        edits.push(...anonymousDefault(statement, bodyStart ?? statement.getStart(file), statement === last));
      }
    } else if (statement === last && ts.isExpressionStatement(statement)) {
      edits.push({ start: statement.expression.getStart(file), end: statement.expression.getStart(file), text: "return { value: (" });
      edits.push({ start: statement.expression.end, end: statement.expression.end, text: ") }" });
    }
    collectDynamicImports(statement, file, edits);
  }

  const edited = applyEdits(js, edits);
  const prefix = WRAPPER_PREFIX + hoisted.map((name) => `${GLOBAL}${name} = ${name}; `).join("");
  return { edited, script: prefix + edited.text + WRAPPER_SUFFIX, prefixLength: prefix.length };
}

/** The statement whose value the cell shows: the last one, ignoring emitted `export {}` markers. */
function lastValueStatement(statements: ts.NodeArray<ts.Statement>): ts.Statement | undefined {
  for (let i = statements.length - 1; i >= 0; i--) {
    const statement = statements[i]!;
    if (ts.isExportDeclaration(statement) || ts.isEmptyStatement(statement)) continue;
    const anonymousDefault = (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name === undefined;
    return ts.isExpressionStatement(statement) || ts.isExportAssignment(statement) || anonymousDefault ? statement : undefined;
  }
  return undefined;
}

function replaceKeepingLines(file: ts.SourceFile, node: ts.Node, text: string): TextEdit {
  const start = node.getStart(file);
  return { start, end: node.end, text: keepLineCount(file.text.slice(start, node.end), text) };
}

function importReplacement(statement: ts.ImportDeclaration, index: number): string {
  const spec = statement.moduleSpecifier.getText();
  const load = `await ${IMPORT_HOOK}(${spec})`;
  const clause = statement.importClause;
  if (clause === undefined) return `${load};`;
  const module = `__kindling_module${index}`;
  const bindings: string[] = [];
  if (clause.name !== undefined) bindings.push(`${GLOBAL}${clause.name.text} = ${module}.default;`);
  const named = clause.namedBindings;
  if (named !== undefined && ts.isNamespaceImport(named)) bindings.push(`${GLOBAL}${named.name.text} = ${module};`);
  if (named !== undefined && ts.isNamedImports(named)) {
    for (const element of named.elements) {
      const imported = element.propertyName?.getText() ?? element.name.text;
      const access = /^[A-Za-z_$][\w$]*$/.test(imported) ? `.${imported}` : `[${imported}]`;
      bindings.push(`${GLOBAL}${element.name.text} = ${module}${access};`);
    }
  }
  return `const ${module} = ${load}; ${bindings.join(" ")}`;
}

function rewriteVariableStatement(statement: ts.VariableStatement, file: ts.SourceFile, edits: TextEdit[]): void {
  stripExportModifiers(statement, file, edits, "");
  const list = statement.declarationList;
  const isVar = (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using)) === 0;
  const declarations = list.declarations;
  if (declarations.length === 0) return;
  // Drop the `const`/`let`/`var` keyword: each declarator becomes its own assignment statement.
  edits.push({ start: list.getStart(file), end: declarations[0]!.getStart(file), text: "" });
  declarations.forEach((declaration, index) => {
    const start = declaration.getStart(file);
    if (ts.isIdentifier(declaration.name)) {
      const name = declaration.name.text;
      if (declaration.initializer !== undefined) {
        edits.push({ start, end: start, text: GLOBAL });
      } else if (isVar) {
        // `var x;` keeps an existing value, like a redeclared var would.
        edits.push({ start, end: declaration.end, text: `if (!(${JSON.stringify(name)} in globalThis)) ${GLOBAL}${name} = undefined` });
      } else {
        edits.push({ start, end: declaration.end, text: `${GLOBAL}${name} = undefined` });
      }
    } else {
      // A pattern: `;({ a: globalThis.a } = value)` (the `;` guards against a previous line without one).
      edits.push({ start, end: start, text: ";(" });
      rewriteBindingPattern(declaration.name, file, edits);
      edits.push({ start: declaration.end, end: declaration.end, text: ")" });
    }
    if (index < declarations.length - 1) {
      const comma = findComma(file, declaration.end, declarations[index + 1]!.getStart(file));
      if (comma !== undefined) edits.push({ start: comma, end: comma + 1, text: ";" });
    }
  });
}

function rewriteBindingPattern(pattern: ts.BindingPattern, file: ts.SourceFile, edits: TextEdit[]): void {
  const isObject = ts.isObjectBindingPattern(pattern);
  for (const element of pattern.elements) {
    if (ts.isOmittedExpression(element)) continue;
    const name = element.name;
    if (!ts.isIdentifier(name)) {
      rewriteBindingPattern(name, file, edits);
      continue;
    }
    const start = name.getStart(file);
    const shorthand = isObject && element.propertyName === undefined && element.dotDotDotToken === undefined;
    edits.push({ start, end: start, text: shorthand ? `${name.text}: ${GLOBAL}` : GLOBAL });
  }
}

/** Start of the first token at or after `position` (skips whitespace and comments). */
function nextTokenStart(file: ts.SourceFile, position: number): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, file.text);
  scanner.resetTokenState(position);
  scanner.scan();
  return scanner.getTokenStart();
}

function findComma(file: ts.SourceFile, from: number, to: number): number | undefined {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, file.text);
  scanner.resetTokenState(from);
  while (scanner.getTokenEnd() < to) {
    const token = scanner.scan();
    if (token === ts.SyntaxKind.CommaToken) return scanner.getTokenStart();
    if (token === ts.SyntaxKind.EndOfFileToken) break;
  }
  return undefined;
}

/**
 * Removes `export`/`default` modifiers (replacing them with `replacement`); returns where the
 * rest of the declaration starts, or undefined when there were none.
 */
function stripExportModifiers(node: ts.HasModifiers, file: ts.SourceFile, edits: TextEdit[], replacement: string): number | undefined {
  const modifiers = (ts.getModifiers(node) ?? []).filter(
    (m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword,
  );
  if (modifiers.length === 0) return undefined;
  const start = modifiers[0]!.getStart(file);
  const last = modifiers[modifiers.length - 1]!;
  const next = nextTokenStart(file, last.end);
  edits.push({ start, end: next, text: replacement });
  return next;
}

function classKeywordStart(node: ts.ClassDeclaration, file: ts.SourceFile): number {
  const modifiers = ts.getModifiers(node);
  const decorators = ts.getDecorators(node);
  const lastModifierEnd = Math.max(modifiers?.[modifiers.length - 1]?.end ?? -1, decorators?.[decorators.length - 1]?.end ?? -1);
  return lastModifierEnd < 0 ? node.getStart(file) : nextTokenStart(file, lastModifierEnd);
}

/** `export default function () {}` / `export default class {}`: keep it as an expression. */
function anonymousDefault(node: ts.FunctionDeclaration | ts.ClassDeclaration, start: number, isLast: boolean): TextEdit[] {
  return [
    { start, end: start, text: isLast ? "return { value: (" : "(" },
    { start: node.end, end: node.end, text: isLast ? ") };" : ");" },
  ];
}

function collectDynamicImports(root: ts.Node, file: ts.SourceFile, edits: TextEdit[]): void {
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      edits.push({ start: node.expression.getStart(file), end: node.expression.end, text: IMPORT_HOOK });
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
}
