/**
 * Most notebook cells are plain JavaScript (`df.count()`, `const n = rows.length`). For those,
 * TypeScript's transpiler would only reprint the same code, and `ts.transpileModule` builds a
 * program and a type checker per call (about 1 ms even for `1 + 1`). This module decides, from
 * the parsed cell alone, whether the cell's text already is the JavaScript to run: no type syntax,
 * nothing TypeScript would lower for our ES2022 target (decorators, `accessor`, `using`), and no
 * syntax errors. Anything in doubt answers "no" and takes the transpiler's path.
 */
import ts from "typescript";

/** Parses a cell exactly as the transpiler does (same target, always a module). */
export function parseCellSource(source: string, languageVersion: ts.ScriptTarget): ts.SourceFile {
  return ts.createSourceFile("cell.ts", source, {
    languageVersion,
    setExternalModuleIndicator: (file) => {
      // moduleDetection "force": every cell is a module, as for the transpiler.
      (file as { externalModuleIndicator?: unknown }).externalModuleIndicator = true;
    },
  }, true, ts.ScriptKind.TS);
}

/**
 * The parser's errors for a file (what transpileModule reports for a .ts file). TypeScript keeps
 * them on an internal field; undefined when that field is missing, which callers treat as "unknown".
 */
export function parseErrorsOf(file: ts.SourceFile): readonly ts.Diagnostic[] | undefined {
  const diagnostics = (file as { parseDiagnostics?: unknown }).parseDiagnostics;
  return Array.isArray(diagnostics) ? (diagnostics as ts.Diagnostic[]) : undefined;
}

/** True when the parsed cell parses cleanly and contains no syntax the transpiler would change. */
export function isPlainJavaScript(file: ts.SourceFile): boolean {
  const errors = parseErrorsOf(file);
  if (errors === undefined || errors.length > 0) return false;
  return !containsTypeScriptOnly(file);
}

/** Nodes that only exist in TypeScript, or that the transpiler lowers for an ES2022 target. */
const TYPESCRIPT_ONLY = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.InterfaceDeclaration,
  ts.SyntaxKind.TypeAliasDeclaration,
  ts.SyntaxKind.EnumDeclaration,
  ts.SyntaxKind.ModuleDeclaration,
  ts.SyntaxKind.ImportEqualsDeclaration,
  ts.SyntaxKind.ExternalModuleReference,
  ts.SyntaxKind.NamespaceExportDeclaration,
  ts.SyntaxKind.NonNullExpression,
  ts.SyntaxKind.AsExpression,
  ts.SyntaxKind.SatisfiesExpression,
  ts.SyntaxKind.TypeAssertionExpression,
  ts.SyntaxKind.Decorator,
  ts.SyntaxKind.TypeParameter,
  ts.SyntaxKind.IndexSignature,
  ts.SyntaxKind.PropertySignature,
  ts.SyntaxKind.MethodSignature,
  ts.SyntaxKind.CallSignature,
  ts.SyntaxKind.ConstructSignature,
  ts.SyntaxKind.MissingDeclaration,
  // `let x!: T`, `p!: T` (the non-null operator is NonNullExpression; `!x` has no token node).
  ts.SyntaxKind.ExclamationToken,
  // Import attributes: kept on the transpiler's path so both paths treat them alike.
  ts.SyntaxKind.ImportAttributes,
]);

/** Modifiers JavaScript has; any other (declare, public, readonly, abstract, override, accessor, ...) is TypeScript's. */
const JAVASCRIPT_MODIFIERS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.AsyncKeyword,
  ts.SyntaxKind.StaticKeyword,
  ts.SyntaxKind.ExportKeyword,
  ts.SyntaxKind.DefaultKeyword,
]);

function containsTypeScriptOnly(root: ts.Node): boolean {
  const visit = (node: ts.Node): boolean => {
    if (isTypeScriptOnly(node)) return true;
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(root);
}

function isTypeScriptOnly(node: ts.Node): boolean {
  const kind = node.kind;
  // Annotations, type arguments (`f<T>(x)`, which JavaScript would read as comparisons), `as` types...
  if (kind >= ts.SyntaxKind.FirstTypeNode && kind <= ts.SyntaxKind.LastTypeNode) return true;
  if (TYPESCRIPT_ONLY.has(kind)) return true;
  // `type` (an annotation: `x: string` is a keyword node, outside the type-node range), type
  // parameters and type arguments are properties only TypeScript syntax fills in.
  const typed = node as { type?: unknown; typeParameters?: readonly unknown[]; typeArguments?: readonly unknown[] };
  if (typed.type !== undefined || (typed.typeParameters?.length ?? 0) > 0 || (typed.typeArguments?.length ?? 0) > 0) return true;
  if (ts.canHaveModifiers(node)) {
    for (const modifier of ts.getModifiers(node) ?? []) if (!JAVASCRIPT_MODIFIERS.has(modifier.kind)) return true;
  }
  if (ts.canHaveDecorators(node) && (ts.getDecorators(node)?.length ?? 0) > 0) return true;
  if (ts.isParameter(node)) {
    return node.questionToken !== undefined || node.type !== undefined || (ts.isIdentifier(node.name) && node.name.text === "this");
  }
  if (ts.isPropertyDeclaration(node)) return node.questionToken !== undefined || node.type !== undefined;
  if (ts.isMethodDeclaration(node)) return node.questionToken !== undefined || node.body === undefined;
  // Overload signatures have no body.
  if (ts.isFunctionDeclaration(node) || ts.isConstructorDeclaration(node)) return node.body === undefined;
  if (ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) return node.body === undefined;
  if (ts.isVariableDeclarationList(node)) return (node.flags & ts.NodeFlags.Using) !== 0; // `using`, `await using`: lowered
  if (ts.isImportClause(node) || ts.isImportSpecifier(node) || ts.isExportSpecifier(node) || ts.isExportDeclaration(node)) return node.isTypeOnly;
  if (ts.isExportAssignment(node)) return node.isExportEquals === true;
  if (ts.isHeritageClause(node)) return node.token === ts.SyntaxKind.ImplementsKeyword;
  if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node) || ts.isExpressionWithTypeArguments(node)) {
    return (node.typeArguments?.length ?? 0) > 0;
  }
  return false;
}
