/** The kernel_info_reply content: who we are and how clients should treat TypeScript cells. */
import { readFileSync } from "node:fs";
import { PROTOCOL_VERSION } from "../protocol/message.js";

export const KINDLING_VERSION = readPackageVersion();

export function kernelInfoContent(typescriptVersion: string): Record<string, unknown> {
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "kindling",
    implementation_version: KINDLING_VERSION,
    language_info: {
      name: "typescript",
      version: typescriptVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      // JupyterLab resolves a string mode by name/alias; "typescript" selects its TypeScript mode.
      codemirror_mode: "typescript",
      pygments_lexer: "typescript",
      nbconvert_exporter: "script",
    },
    banner: `Kindling ${KINDLING_VERSION}: TypeScript ${typescriptVersion} on Node ${process.versions.node}. ` +
      "Lazy DataFrames: import { session } from \"kindling\".",
    help_links: [],
    supported_features: [],
    debugger: false,
  };
}

function readPackageVersion(): string {
  // dist/kernel/server/kernel-info.js and kernel/server/kernel-info.ts are both three levels down.
  for (const relative of ["../../../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "kindling" && pkg.version) return pkg.version;
    } catch {
      // try the next candidate
    }
  }
  return "0.0.0";
}
