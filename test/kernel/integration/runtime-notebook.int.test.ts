/**
 * The DataFrame runtime seen through a real client: `import ... from "kindling"` in a notebook cell,
 * a lazy DataFrame rendered by the display protocol, actions awaited in cells, explain() printed,
 * all executed by `jupyter nbconvert --execute` from fixtures/kindling-runtime.ipynb.
 */
import type { INotebookContent } from "@jupyterlab/nbformat";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJupyterEnv, kernelUnderTest, type JupyterEnv } from "./support/jupyter-env.js";
import { codeCell, joinText, nbconvertExecute, readNotebook, resultText, streamText } from "./support/notebooks.js";

describe.skipIf(kernelUnderTest() !== "kindling")("the kindling runtime in a notebook (nbconvert)", () => {
  let jupyter: JupyterEnv | undefined;
  let notebook: INotebookContent;

  beforeAll(async () => {
    jupyter = await createJupyterEnv("runtime-notebook");
    // --allow-errors so one broken cell shows up as that cell's failure below, not as "no notebook".
    const run = await nbconvertExecute(jupyter, "kindling-runtime.ipynb", { allowErrors: true });
    if (run.process.code !== 0 || !existsSync(run.outputPath)) {
      throw new Error(`nbconvert failed (exit ${run.process.code}):\n${run.process.stderr.slice(-4000)}`);
    }
    notebook = await readNotebook(run.outputPath);
  }, 320_000);

  afterAll(async () => {
    await jupyter?.dispose();
  });

  it("runs every cell without an error", () => {
    const errors = notebook.cells
      .filter((c) => c.cell_type === "code")
      .flatMap((c) => codeCell(notebook, String(c.id)).outputs.filter((o) => o.output_type === "error").map((o) => `${String(c.id)}: ${String(o.ename)}: ${String(o.evalue)}`));
    expect(errors).toEqual([]);
  });

  it("prints no warnings on a clean notebook (stderr stays empty)", () => {
    const noise = notebook.cells
      .filter((c) => c.cell_type === "code")
      .map((c) => [String(c.id), streamText(codeCell(notebook, String(c.id)), "stderr")] as const)
      .filter(([, text]) => text !== "")
      .map(([id, text]) => `${id}: ${text}`);
    expect(noise).toEqual([]);
  });

  it("computes actions awaited in cells", () => {
    expect(resultText(codeCell(notebook, "count"))).toBe("2");
    expect(resultText(codeCell(notebook, "collect"))).toMatch(/^['"]a=4,b=2['"]$/);
  });

  it("renders a lazy DataFrame through the display protocol without running it", () => {
    const result = codeCell(notebook, "lazy-value").outputs.find((o) => o.output_type === "execute_result");
    const data = result?.data as Record<string, string | string[]> | undefined;
    expect(joinText(data?.["text/html"])).toContain("<table");
    expect(joinText(data?.["text/plain"])).toContain("spend");
  });

  it("prints explain() in Spark's format with the shuffle", () => {
    const text = streamText(codeCell(notebook, "explain"), "stdout");
    expect(text).toContain("== Physical Plan ==");
    expect(text).toMatch(/Exchange hashpartitioning\(user, \d+\)/);
  });

  it("shows a preview as an HTML table with the rows", () => {
    const result = codeCell(notebook, "preview").outputs.find((o) => o.output_type === "execute_result");
    const data = result?.data as Record<string, string | string[]> | undefined;
    const html = joinText(data?.["text/html"]);
    expect(html).toContain("<table");
    expect(html).toContain("amount");
    expect(joinText(data?.["text/plain"])).toMatch(/\|\s+b\|\s+2\|/);
  });
});
