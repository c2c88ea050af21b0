/**
 * A stand-in for kernel/lang's LanguageTools, used only when that module cannot be loaded (it is
 * built by another part of the project). It transpiles without type checking, keeps `var`/function
 * declarations global via indirect eval, and answers completion/inspection with nothing. It exists
 * so the kernel still runs plain cells; the real tools replace it automatically.
 */
import type { CompiledCell, CompletionResult, InspectResult, IsCompleteResult, LanguageTools } from "../lang/api.js";

export function createFallbackLanguageTools(): LanguageTools {
  return {
    async compile(code: string, n: number): Promise<CompiledCell> {
      // Loaded on first use only: the compiler takes most of a second to load on the main thread.
      const ts = (await import("typescript")).default;
      const filename = `cell[${n}]`;
      const output = ts.transpileModule(code, {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: false },
        reportDiagnostics: true,
        fileName: `${filename}.ts`,
      });
      const js = output.outputText.replace(/^export \{\};\s*$/m, "");
      const usesAwait = /\bawait\b/.test(js);
      const wrapped = usesAwait
        ? `(async () => {\n${js}\n})().then(() => ({}))`
        : `Promise.resolve({ value: (0, eval)(${JSON.stringify(js)}) })`;
      const syntax = output.diagnostics?.find((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
      if (syntax && syntax.file && syntax.start !== undefined) {
        const { line, character } = syntax.file.getLineAndCharacterOfPosition(syntax.start);
        return {
          js: "",
          filename,
          diagnostics: [],
          syntaxError: {
            category: "error",
            line: line + 1,
            column: character + 1,
            code: syntax.code,
            message: ts.flattenDiagnosticMessageText(syntax.messageText, "\n"),
          },
        };
      }
      return { js: wrapped, filename, diagnostics: [] };
    },
    async commit(): Promise<void> {},
    async complete(_code: string, cursorPos: number): Promise<CompletionResult> {
      return { matches: [], cursorStart: cursorPos, cursorEnd: cursorPos, types: [] };
    },
    async inspect(): Promise<InspectResult> {
      return { found: false, data: {} };
    },
    async isComplete(): Promise<IsCompleteResult> {
      return { status: "unknown" };
    },
    async mapStack(stack: string): Promise<string> {
      return stack;
    },
    setStrict(): void {},
    async close(): Promise<void> {},
  };
}
