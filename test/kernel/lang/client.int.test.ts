import vm from "node:vm";
import { tmpdir } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LanguageTools } from "../../../kernel/lang/api.js";
import { buildLanguageTools } from "./build-lang.js";
import { tempDir } from "../../support/temp-dirs.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
let tools: LanguageTools;

beforeAll(async () => {
  const clientPath = buildLanguageTools(repoRoot);
  const client = (await import(pathToFileURL(clientPath).href)) as {
    createLanguageTools(options: { cwd: string }): LanguageTools;
  };
  tools = client.createLanguageTools({ cwd: tempDir("kindling-client-") });
});

afterAll(async () => {
  await tools?.close();
});

describe("language tools through the worker thread", () => {
  it("compiles, type-checks against committed cells, completes, inspects and maps stacks", async () => {
    const first = await tools.compile("const total: number = 40;\ntotal + 2", 1);
    expect(first.diagnostics).toEqual([]);
    expect(first.filename).toBe("cell[1]");
    await tools.commit("const total: number = 40;\ntotal + 2", 1);

    const second = await tools.compile("total.toUpperCase()", 2);
    expect(second.diagnostics).toMatchObject([{ category: "warning", line: 1, column: 7, code: 2339 }]);

    tools.setStrict(true);
    const strict = await tools.compile("total.toUpperCase()", 3);
    expect(strict.diagnostics[0]?.category).toBe("error");
    tools.setStrict(false);

    expect((await tools.complete("total.toFix", 11)).matches).toEqual(["toFixed"]);
    expect((await tools.inspect("total", 5, 0)).data["text/plain"]).toContain("const total: number");
    expect(await tools.isComplete("if (total) {")).toEqual({ status: "incomplete", indent: "  " });

    const thrower = await tools.compile("type T = string;\nthrow new Error('x' as T)", 4);
    const error = await new vm.Script(thrower.js, { filename: thrower.filename }).runInContext(vm.createContext({})).catch((e: Error) => e);
    const mapped = await tools.mapStack((error as Error).stack ?? "");
    expect(mapped).toMatch(/^Error: x\n    at cell\[4\]:2:7\n/);
    expect(mapped.match(/cell\[4\]/g)).toHaveLength(1);
  });

  it("answers requests sent concurrently, each with its own result", async () => {
    const results = await Promise.all([tools.isComplete("1 +"), tools.isComplete("1"), tools.complete("Math.PI", 7)]);
    expect(results[0]).toMatchObject({ status: "incomplete" });
    expect(results[1]).toEqual({ status: "complete" });
    expect(results[2].matches).toEqual(["PI"]);
  });

  it("fails calls after close instead of hanging", async () => {
    const clientPath = buildLanguageTools(repoRoot);
    const client = (await import(pathToFileURL(clientPath).href)) as { createLanguageTools(options: { cwd: string }): LanguageTools };
    const closing = client.createLanguageTools({ cwd: tmpdir() });
    const pending = closing.isComplete("1 +").then(
      () => "answered",
      (error: Error) => error.message,
    );
    await closing.close();
    expect(await pending).toMatch(/closed/);
    await expect(closing.compile("1", 1)).rejects.toThrow(/closed/);
  });
});
