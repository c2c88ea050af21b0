/** Reading executed notebooks the way a user looks at them: cells by id, outputs as text. */
import type { ICodeCell, INotebookContent, IOutput, MultilineString } from "@jupyterlab/nbformat";
import { copyFile, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { INTEGRATION_DIR, JUPYTER, type JupyterEnv } from "./jupyter-env.js";
import { runProcess, type ProcessResult } from "./processes.js";

export const ANSI_ESCAPES = /\x1b\[[0-9;]*[A-Za-z]/g;

export function joinText(text: MultilineString | undefined): string {
  return Array.isArray(text) ? text.join("") : (text ?? "");
}

export async function readNotebook(path: string): Promise<INotebookContent> {
  return JSON.parse(await readFile(path, "utf8")) as INotebookContent;
}

export function codeCell(notebook: INotebookContent, id: string): ICodeCell {
  const cell = notebook.cells.find((c) => c.id === id);
  if (!cell || cell.cell_type !== "code") throw new Error(`notebook has no code cell with id "${id}"`);
  return cell as ICodeCell;
}

/** The text/plain of the cell's execute_result, or undefined when the cell produced no value. */
export function resultText(cell: ICodeCell): string | undefined {
  const result = cell.outputs.find((o) => o.output_type === "execute_result");
  const data = result?.data as Record<string, MultilineString> | undefined;
  return data ? joinText(data["text/plain"]) : undefined;
}

export function streamText(cell: ICodeCell, name: "stdout" | "stderr"): string {
  return cell.outputs
    .filter((o) => o.output_type === "stream" && o.name === name)
    .map((o) => joinText(o.text as MultilineString))
    .join("");
}

export function outputTypes(cell: ICodeCell): string[] {
  return cell.outputs.map((o: IOutput) => o.output_type);
}

export interface NotebookRun {
  readonly process: ProcessResult;
  /** Where the executed copy was (or would have been) written. */
  readonly outputPath: string;
}

/** `jupyter nbconvert --to notebook --execute` on a copy of a fixture in the env's work dir. */
export async function nbconvertExecute(
  jupyter: JupyterEnv,
  fixture: string,
  options: { allowErrors?: boolean; timeoutMs?: number } = {},
): Promise<NotebookRun> {
  const input = join(jupyter.workDir, basename(fixture));
  await copyFile(join(INTEGRATION_DIR, "fixtures", fixture), input);
  // One output name per mode, so a run that must write nothing is not fooled by an earlier run's file.
  const outputName = `${basename(fixture, ".ipynb")}.${options.allowErrors ? "allow-errors" : "strict"}.out.ipynb`;
  const args = [
    "nbconvert",
    "--to",
    "notebook",
    "--execute",
    input,
    "--output",
    outputName,
    `--ExecutePreprocessor.kernel_name=${jupyter.kernelName}`,
    "--ExecutePreprocessor.timeout=120",
    ...(options.allowErrors ? ["--allow-errors"] : []),
  ];
  const process = await runProcess(JUPYTER, args, { env: jupyter.env, cwd: jupyter.workDir, timeoutMs: options.timeoutMs ?? 300_000 });
  return { process, outputPath: join(jupyter.workDir, outputName) };
}
