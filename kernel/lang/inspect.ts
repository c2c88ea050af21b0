/** inspect_request: quick info (signature, JSDoc, tags) for the name at or just before the cursor. */
import ts from "typescript";
import type { InspectResult } from "./api.js";
import { codePointsToUtf16 } from "./code-points.js";
import type { NotebookProject } from "./project.js";

export function inspectAt(project: NotebookProject, code: string, cursorPos: number, detailLevel: 0 | 1): InspectResult {
  const cursor = codePointsToUtf16(code, cursorPos);
  project.setCurrent(code, "used");
  const service = project.languageService;
  // Jupyter sends the cursor after the word (`foo|`); the service wants a position inside it.
  const info =
    quickInfo(service, project.currentFile, cursor, code) ??
    (cursor > 0 ? quickInfo(service, project.currentFile, cursor - 1, code) : undefined);
  if (info === undefined) return { found: false, data: {} };
  const signature = ts.displayPartsToString(info.displayParts);
  const documentation = ts.displayPartsToString(info.documentation);
  const tags = (info.tags ?? [])
    .filter((tag) => detailLevel === 1 || tag.name !== "example")
    .map((tag) => `@${tag.name}${tag.text ? ` ${ts.displayPartsToString(tag.text)}` : ""}`);
  const plain = [signature, documentation, tags.join("\n")].filter((part) => part !== "").join("\n\n");
  const markdown = [
    "```typescript\n" + signature + "\n```",
    documentation,
    tags.map((tag) => `*${tag.replace(/^@(\S+)/, "@$1*")}`).join("  \n"),
  ]
    .filter((part) => part !== "")
    .join("\n\n");
  return { found: true, data: { "text/plain": plain, "text/markdown": markdown } };
}

function quickInfo(service: ts.LanguageService, file: string, position: number, code: string): ts.QuickInfo | undefined {
  if (position > code.length) return undefined;
  const info = service.getQuickInfoAtPosition(file, position);
  if (info === undefined || info.textSpan.start + info.textSpan.length > code.length) return undefined;
  // Unknown names (kind "") and keywords give no information worth a panel.
  if ((info.displayParts ?? []).length === 0 || info.kind === ts.ScriptElementKind.unknown || info.kind === ts.ScriptElementKind.keyword) {
    return undefined;
  }
  // Earlier cells' names reach this cell as generated imports: describe the original declaration.
  if (info.kind === ts.ScriptElementKind.alias) return declarationInfo(service, file, position) ?? info;
  return info;
}

function declarationInfo(service: ts.LanguageService, file: string, position: number): ts.QuickInfo | undefined {
  for (const definition of service.getDefinitionAtPosition(file, position) ?? []) {
    if (definition.fileName === file) continue;
    const info = service.getQuickInfoAtPosition(definition.fileName, definition.textSpan.start);
    if (info !== undefined && info.kind !== ts.ScriptElementKind.alias) return info;
  }
  return undefined;
}
