/** complete_request: the language service's completions at the cursor, in code points. */
import { builtinModules } from "node:module";
import ts from "typescript";
import type { CompletionResult } from "./api.js";
import { codePointsToUtf16, utf16ToCodePoints } from "./code-points.js";
import { INTERNAL_PREFIX, type NotebookProject } from "./project.js";

const IDENTIFIER_PART = /[\p{ID_Continue}$\u200c\u200d]/u;

/** An import specifier being typed: `from "node:f|`, `import("./da|`. */
const SPECIFIER_BEFORE_CURSOR = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"'\n]*)$/;

export function completeAt(project: NotebookProject, code: string, cursorPos: number): CompletionResult {
  const cursor = codePointsToUtf16(code, cursorPos);
  const specifier = SPECIFIER_BEFORE_CURSOR.exec(code.slice(0, cursor))?.[1];
  // The language service does not list Node's builtins after "node:"; Node itself knows them.
  if (specifier !== undefined && specifier.startsWith("node:")) return nodeBuiltins(code, cursor, specifier);
  project.setCurrent(code);
  const wordStart = identifierStart(code, cursor);
  const info = project.languageService.getCompletionsAtPosition(project.currentFile, cursor, {
    includeCompletionsForModuleExports: false,
    includeCompletionsWithInsertText: false,
  });
  const empty: CompletionResult = { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos, types: [] };
  if (info === undefined) return empty;

  // Inside a string (an import path) the service says what to replace; otherwise the word before the cursor.
  const span = info.optionalReplacementSpan;
  const replaceStart = span !== undefined && span.start <= cursor && cursor <= span.start + span.length ? span.start : wordStart;
  // Completing inside a word replaces all of it (`user.na|me` -> `user.nickname`, not `nicknameme`).
  const replaceEnd = span !== undefined && replaceStart === span.start ? Math.max(cursor, span.start + span.length) : identifierEnd(code, cursor);
  const typed = code.slice(replaceStart, cursor);
  const lowerTyped = typed.toLowerCase();

  const entries = info.entries
    .filter((entry) => !entry.name.startsWith(INTERNAL_PREFIX) && entry.name.toLowerCase().startsWith(lowerTyped))
    .sort((a, b) => rank(a, typed) - rank(b, typed) || compare(a.sortText, b.sortText) || compare(a.name, b.name));

  const start = utf16ToCodePoints(code, replaceStart);
  const end = utf16ToCodePoints(code, replaceEnd);
  const seen = new Set<string>();
  const matches: string[] = [];
  const types: { start: number; end: number; text: string; type: string }[] = [];
  for (const entry of entries) {
    if (seen.has(entry.name)) continue;
    seen.add(entry.name);
    matches.push(entry.name);
    types.push({ start, end, text: entry.name, type: jupyterType(entry.kind) });
  }
  return { matches, cursorStart: start, cursorEnd: end, types };
}

function nodeBuiltins(code: string, cursor: number, typed: string): CompletionResult {
  const matches = builtinModules
    .filter((name) => !name.startsWith("_"))
    .map((name) => (name.startsWith("node:") ? name : `node:${name}`))
    .filter((name) => name.startsWith(typed))
    .sort();
  const start = utf16ToCodePoints(code, cursor - typed.length);
  const end = utf16ToCodePoints(code, cursor);
  return { matches, cursorStart: start, cursorEnd: end, types: matches.map((text) => ({ start, end, text, type: "module" })) };
}

/** Exact-case prefix matches first. */
function rank(entry: ts.CompletionEntry, typed: string): number {
  return entry.name.startsWith(typed) ? 0 : 1;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function identifierStart(code: string, cursor: number): number {
  let start = cursor;
  while (start > 0) {
    const previous = code.codePointAt(start - 1);
    const isLowSurrogate = previous !== undefined && previous >= 0xdc00 && previous <= 0xdfff && start >= 2;
    const char = isLowSurrogate ? String.fromCodePoint(code.codePointAt(start - 2)!) : code[start - 1]!;
    if (!IDENTIFIER_PART.test(char)) break;
    start -= char.length;
  }
  return start;
}

function identifierEnd(code: string, cursor: number): number {
  let end = cursor;
  while (end < code.length) {
    const char = String.fromCodePoint(code.codePointAt(end)!);
    if (!IDENTIFIER_PART.test(char)) break;
    end += char.length;
  }
  return end;
}

/** The names JupyterLab's completer knows icons for. */
function jupyterType(kind: ts.ScriptElementKind): string {
  switch (kind) {
    case ts.ScriptElementKind.functionElement:
    case ts.ScriptElementKind.localFunctionElement:
      return "function";
    case ts.ScriptElementKind.memberFunctionElement:
    case ts.ScriptElementKind.constructSignatureElement:
    case ts.ScriptElementKind.callSignatureElement:
      return "method";
    case ts.ScriptElementKind.memberVariableElement:
    case ts.ScriptElementKind.memberGetAccessorElement:
    case ts.ScriptElementKind.memberSetAccessorElement:
      return "property";
    case ts.ScriptElementKind.classElement:
    case ts.ScriptElementKind.localClassElement:
      return "class";
    case ts.ScriptElementKind.interfaceElement:
      return "interface";
    case ts.ScriptElementKind.typeElement:
    case ts.ScriptElementKind.typeParameterElement:
      return "type";
    case ts.ScriptElementKind.enumElement:
      return "enum";
    case ts.ScriptElementKind.enumMemberElement:
      return "enum member";
    case ts.ScriptElementKind.moduleElement:
    case ts.ScriptElementKind.externalModuleName:
    case ts.ScriptElementKind.directory:
      return "module";
    case ts.ScriptElementKind.keyword:
      return "keyword";
    case ts.ScriptElementKind.constElement:
    case ts.ScriptElementKind.letElement:
    case ts.ScriptElementKind.variableElement:
    case ts.ScriptElementKind.localVariableElement:
    case ts.ScriptElementKind.parameterElement:
    case ts.ScriptElementKind.alias:
      return "variable";
    case ts.ScriptElementKind.scriptElement:
      return "file";
    default:
      return "text";
  }
}
