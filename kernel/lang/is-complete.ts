/**
 * is_complete_request (what a console does on Enter): "incomplete" when the parser only complains
 * at the very end of the code (an unclosed bracket, template literal or comment, a trailing
 * operator, `if (x)` without a body), "invalid" for an error anywhere earlier, else "complete".
 */
import ts from "typescript";
import type { IsCompleteResult } from "./api.js";

const INDENT = "  ";

/** Kernel magics (`%strict on`) are lines the kernel removes before compiling. */
const MAGIC_LINE = /^[ \t]*%[A-Za-z][^\n]*$/gm;

export function isCompleteCode(source: string): IsCompleteResult {
  const code = source.replace(MAGIC_LINE, "");
  if (code.trim() === "") return { status: "complete" };
  const output = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleDetection: ts.ModuleDetectionKind.Force },
    reportDiagnostics: true,
    fileName: "cell.ts",
  });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length === 0) return { status: "complete" };
  const end = code.trimEnd().length;
  // A one-line string cannot continue on the next line (unless the line ends with a backslash).
  const unterminatedString = errors.some((d) => d.code === 1002) && !/\\\s*$/.test(code);
  if (unterminatedString || !errors.every((d) => (d.start ?? 0) >= end || isAtEnd(code, d))) return { status: "invalid" };
  return { status: "incomplete", indent: INDENT.repeat(Math.max(1, openDepth(code))) };
}

/** Unterminated template literals and comments are reported at their start but run to the end. */
function isAtEnd(code: string, diagnostic: ts.Diagnostic): boolean {
  return (diagnostic.code === 1160 || diagnostic.code === 1010) && (diagnostic.start ?? 0) + (diagnostic.length ?? 0) >= code.trimEnd().length;
}

const ENDS_VALUE = new Set([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
]);

/** How many brackets are still open at the end (the next line's indent level). */
function openDepth(code: string): number {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, code);
  let depth = 0;
  const templates: number[] = [];
  let previous = ts.SyntaxKind.Unknown;
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; previous = token, token = scanner.scan()) {
    switch (token) {
      case ts.SyntaxKind.OpenBraceToken:
      case ts.SyntaxKind.OpenParenToken:
      case ts.SyntaxKind.OpenBracketToken:
        depth++;
        break;
      case ts.SyntaxKind.CloseBraceToken:
        if (templates.length > 0 && templates[templates.length - 1] === depth) {
          // `}` closing a `${` substitution: continue the template.
          templates.pop();
          if (scanner.reScanTemplateToken(false) === ts.SyntaxKind.TemplateMiddle) templates.push(depth);
          break;
        }
        depth = Math.max(0, depth - 1);
        break;
      case ts.SyntaxKind.CloseParenToken:
      case ts.SyntaxKind.CloseBracketToken:
        depth = Math.max(0, depth - 1);
        break;
      case ts.SyntaxKind.TemplateHead:
        templates.push(depth);
        break;
      case ts.SyntaxKind.SlashToken:
      case ts.SyntaxKind.SlashEqualsToken:
        // After a value, `/` divides; elsewhere it starts a regular expression.
        if (!ENDS_VALUE.has(previous)) scanner.reScanSlashToken();
        break;
    }
  }
  return depth;
}
