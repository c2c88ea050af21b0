/**
 * Loads the TypeScript tooling (kernel/lang/client.ts, `createLanguageTools({ cwd })`). The import is
 * dynamic so the kernel starts and answers kernel_info before the TypeScript compiler is loaded, and
 * keeps working (without type checks or completion) if that module is absent or fails to start.
 */
import type { LanguageTools } from "../lang/api.js";
import { createFallbackLanguageTools } from "./fallback-language-tools.js";

type Factory = (options: { cwd: string }) => LanguageTools;

const CLIENT_MODULE = "../lang/client.js";

export async function loadLanguageTools(cwd: string, log: (line: string) => void): Promise<LanguageTools> {
  try {
    const module = (await import(CLIENT_MODULE)) as { createLanguageTools?: Factory };
    if (typeof module.createLanguageTools === "function") return module.createLanguageTools({ cwd });
    log("kernel/lang/client.js has no createLanguageTools; using the transpile-only fallback (no type checks, no completion).");
  } catch (error) {
    log(`TypeScript tooling unavailable (${(error as Error).message}); using the transpile-only fallback.`);
  }
  return createFallbackLanguageTools();
}
