/**
 * Headless notebook execution with the two Debian clients users script with: `jupyter nbconvert
 * --to notebook --execute` (writes the executed notebook) and `jupyter execute` (nbclient; exit status
 * only). The fixtures are TypeScript notebooks; each cell's outputs are asserted by cell id.
 */
import type { INotebookContent } from "@jupyterlab/nbformat";
import { createHash } from "node:crypto";
import { copyFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJupyterEnv, DEBIAN_PYTHON, INTEGRATION_DIR, JUPYTER, kernelUnderTest, type JupyterEnv } from "./support/jupyter-env.js";
import { ANSI_ESCAPES, codeCell, joinText, nbconvertExecute, outputTypes, readNotebook, resultText, streamText } from "./support/notebooks.js";
import { runProcess } from "./support/processes.js";

const typescriptKernel = kernelUnderTest() === "kindling";

describe.skipIf(!typescriptKernel)("jupyter nbconvert --execute and jupyter execute (TypeScript notebooks)", () => {
  let jupyter: JupyterEnv | undefined;
  let tour: INotebookContent;
  let tourPath: string;

  beforeAll(async () => {
    jupyter = await createJupyterEnv("nbconvert");
    const run = await nbconvertExecute(jupyter, "typescript-tour.ipynb");
    if (run.process.code !== 0 || !existsSync(run.outputPath)) {
      throw new Error(`nbconvert failed (exit ${run.process.code}, timed out: ${run.process.timedOut}):\n${run.process.stderr.slice(-4000)}`);
    }
    tourPath = run.outputPath;
    tour = await readNotebook(tourPath);
  }, 320_000);

  afterAll(async () => {
    await jupyter?.dispose();
  });

  it("records the kernel's language and numbers every code cell in order", () => {
    const info = tour.metadata.language_info;
    expect(info?.name).toBe("typescript");
    expect(info?.file_extension).toBe(".ts");
    const counts = tour.cells.filter((c) => c.cell_type === "code").map((c) => c.execution_count);
    expect(counts).toEqual(counts.map((_, i) => i + 1));
  });

  it("shows the value of a cell's last expression as execute_result", () => {
    expect(resultText(codeCell(tour, "value"))).toBe("42");
    expect(resultText(codeCell(tour, "types"))).toBe("3");
    expect(resultText(codeCell(tour, "no-value"))).toBeUndefined();
    expect(codeCell(tour, "no-value").outputs).toEqual([]);
  });

  it("captures console output as stdout and stderr streams", () => {
    const cell = codeCell(tour, "console");
    expect(streamText(cell, "stdout")).toBe("hello from a cell\n");
    expect(streamText(cell, "stderr")).toContain("to stderr");
    expect(outputTypes(cell)).not.toContain("execute_result");
  });

  it("displays a value through the Jupyter.display protocol with its MIME bundle", () => {
    const cell = codeCell(tour, "display");
    const shown = cell.outputs.filter((o) => o.output_type === "display_data");
    expect(shown).toHaveLength(1);
    const data = shown[0]?.data as Record<string, string | string[]>;
    expect(joinText(data["text/html"])).toBe("<b>bold</b>");
    expect(joinText(data["text/plain"])).toBe("bold");
  });

  it("awaits at top level", () => {
    expect(resultText(codeCell(tour, "top-level-await"))).toMatch(/^['"]done['"]$/);
  });

  it("lets a later cell redeclare a const", () => {
    expect(codeCell(tour, "redeclare-first").outputs).toEqual([]);
    expect(resultText(codeCell(tour, "redeclare-again"))).toBe("20");
  });

  it("imports node builtins and an npm package (apache-arrow) from the notebook's project", () => {
    const builtin = codeCell(tour, "node-builtin");
    expect(streamText(builtin, "stdout")).toBe("a/b\n");
    const digest = createHash("sha256").update("kindling").digest("hex").slice(0, 12);
    expect(resultText(builtin)).toMatch(new RegExp(`^['"]${digest}['"]$`));
    expect(resultText(codeCell(tour, "npm-package"))).toBe("300");
  });

  it("writes a notebook that passes nbformat's schema validation", async () => {
    const check = await runProcess(
      DEBIAN_PYTHON,
      ["-c", "import json, sys, nbformat; nbformat.validate(json.load(open(sys.argv[1]))); print('valid')", tourPath],
      { env: jupyter!.env, timeoutMs: 30_000 },
    );
    expect(check.stderr).toBe("");
    expect(check.stdout.trim()).toBe("valid");
  });

  it("with --allow-errors records the error with its message and keeps running later cells", async () => {
    const run = await nbconvertExecute(jupyter!, "typescript-error.ipynb", { allowErrors: true });
    expect(run.process.code, run.process.stderr.slice(-3000)).toBe(0);
    const notebook = await readNotebook(run.outputPath);
    expect(resultText(codeCell(notebook, "before"))).toBe("1");
    const boom = codeCell(notebook, "boom");
    const errors = boom.outputs.filter((o) => o.output_type === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.ename).toBe("Error");
    expect(errors[0]?.evalue).toBe("bad value in cell 2");
    const traceback = (errors[0]?.traceback as string[]).join("\n").replace(ANSI_ESCAPES, "");
    expect(traceback).toContain("bad value in cell 2");
    expect(resultText(codeCell(notebook, "after"))).toBe("2");
  }, 320_000);

  it("without --allow-errors fails with the cell's error message and writes no notebook", async () => {
    const run = await nbconvertExecute(jupyter!, "typescript-error.ipynb");
    expect(run.process.code).not.toBe(0);
    expect(run.process.timedOut).toBe(false);
    expect(run.process.stderr).toContain("bad value in cell 2");
    expect(existsSync(run.outputPath)).toBe(false);
  }, 320_000);

  it("jupyter execute (nbclient) runs the tour and fails on the error notebook", async () => {
    for (const fixture of ["typescript-tour.ipynb", "typescript-error.ipynb"]) {
      await copyFile(join(INTEGRATION_DIR, "fixtures", fixture), join(jupyter!.workDir, `exec-${fixture}`));
    }
    const args = (name: string): string[] => ["execute", `--kernel_name=${jupyter!.kernelName}`, "--timeout=120", join(jupyter!.workDir, name)];
    const good = await runProcess(JUPYTER, args("exec-typescript-tour.ipynb"), { env: jupyter!.env, cwd: jupyter!.workDir, timeoutMs: 300_000 });
    expect(good.code, good.stderr.slice(-3000)).toBe(0);
    const bad = await runProcess(JUPYTER, args("exec-typescript-error.ipynb"), { env: jupyter!.env, cwd: jupyter!.workDir, timeoutMs: 300_000 });
    expect(bad.code).not.toBe(0);
    expect(bad.timedOut).toBe(false);
    expect(bad.stderr).toContain("bad value in cell 2");
  }, 620_000);
});
