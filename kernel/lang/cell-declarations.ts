/**
 * What a cell declares at its top level, seen by the type checker's virtual project: the names a
 * later cell can use, and the cell's text turned into a module that exports all of them.
 */
import ts from "typescript";
import { applyEdits, type TextEdit } from "./text-edits.js";

/**
 * How a later cell sees a name: `let`/`var` can be reassigned by later cells, so they become
 * global `declare let` declarations; everything else (const, function, class, enum, interface,
 * type, namespace, import) is imported from the defining cell's module, which keeps its full
 * meaning as a value, a type and a namespace.
 */
export type BindingKind = "let" | "var" | "import";

export interface Declared {
  readonly name: string;
  readonly kind: BindingKind;
  /** True for names that came from an import statement (re-exported with `export { name }`). */
  readonly fromImport: boolean;
}

export function parseCell(code: string, fileName = "cell.ts"): ts.SourceFile {
  return ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

export function declaredNames(file: ts.SourceFile): Declared[] {
  const found = new Map<string, Declared>();
  const add = (name: string, kind: BindingKind, fromImport = false): void => {
    found.set(name, { name, kind, fromImport });
  };
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      const flags = statement.declarationList.flags;
      const kind: BindingKind = flags & ts.NodeFlags.Const ? "import" : flags & ts.NodeFlags.Let ? "let" : "var";
      for (const declaration of statement.declarationList.declarations) {
        for (const name of bindingIdentifiers(declaration.name)) add(name, kind);
      }
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name !== undefined &&
      !isDefaultExport(statement)
    ) {
      add(statement.name.text, "import");
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name) && statement.name.text !== "global") {
      add(statement.name.text, "import");
    } else if (ts.isImportDeclaration(statement) && statement.importClause !== undefined) {
      const clause = statement.importClause;
      if (clause.name !== undefined) add(clause.name.text, "import", true);
      const named = clause.namedBindings;
      if (named !== undefined && ts.isNamespaceImport(named)) add(named.name.text, "import", true);
      if (named !== undefined && ts.isNamedImports(named)) {
        for (const element of named.elements) add(element.name.text, "import", true);
      }
    } else if (ts.isImportEqualsDeclaration(statement)) {
      add(statement.name.text, "import", true);
    }
  }
  return [...found.values()];
}

function bindingIdentifiers(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const names: string[] = [];
  for (const element of name.elements) {
    if (!ts.isOmittedExpression(element)) names.push(...bindingIdentifiers(element.name));
  }
  return names;
}

function isDefaultExport(node: ts.HasModifiers): boolean {
  return (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

function isExported(node: ts.HasModifiers): boolean {
  return (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/** The cell as a module exporting every top-level declaration (for later cells to import). */
export function exportingModuleText(file: ts.SourceFile, declared: readonly Declared[]): string {
  const edits: TextEdit[] = [];
  for (const statement of file.statements) {
    const exportable =
      ts.isVariableStatement(statement) ||
      ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isEnumDeclaration(statement) ||
      (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name) && statement.name.text !== "global");
    if (!exportable || isExported(statement)) continue;
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name === undefined) continue;
    const start = statement.getStart(file);
    edits.push({ start, end: start, text: "export " });
  }
  const reexports = declared.filter((d) => d.fromImport).map((d) => d.name);
  const tail = reexports.length > 0 ? `\nexport { ${reexports.join(", ")} };` : "";
  return applyEdits(file.text, edits).text + tail;
}
