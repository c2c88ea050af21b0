/**
 * An isolated Jupyter installation per test file: its own config, data and runtime dirs, and the
 * kernelspec installed under a temporary prefix by our own `kindling install --prefix`, found through
 * JUPYTER_PATH. Nothing is read from or written to the user's Jupyter dirs.
 *
 * KINDLING_IT_KERNEL=python3 points the same tests at Debian's ipykernel; that is how the harness is
 * validated (the TypeScript fixtures then do not apply, so those suites pick their Python variants).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";
import { RUN_TAG_VARIABLE, runProcess, stopTaggedProcesses } from "./processes.js";

export const DEBIAN_PYTHON = "/usr/bin/python3";
export const JUPYTER = "/usr/bin/jupyter";
export const INTEGRATION_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = resolve(INTEGRATION_DIR, "../../..");
export const KINDLING_CLI = join(REPO_ROOT, "dist/kernel/cli.js");

export function kernelUnderTest(): string {
  return process.env.KINDLING_IT_KERNEL ?? "kindling";
}

export interface JupyterEnv {
  readonly kernelName: string;
  /** Temporary root holding cfg/, data/, runtime/ and prefix/. */
  readonly root: string;
  /**
   * Scratch dir for notebooks, inside the repository (.tmp/ is git-ignored) so that a notebook's
   * imports resolve from the project's node_modules, as they do for a user's notebook in their project.
   */
  readonly workDir: string;
  /** Environment for every Jupyter client a test starts. */
  readonly env: NodeJS.ProcessEnv;
  /** Stops every process started under this env (kernels included) and deletes the temp dirs. */
  dispose(): Promise<void>;
}

export async function createJupyterEnv(label: string): Promise<JupyterEnv> {
  const kernelName = kernelUnderTest();
  const root = await mkdtemp(join(tmpdir(), `kindling-it-${label}-`));
  const prefix = join(root, "prefix");
  await Promise.all(["cfg", "data", "runtime", "prefix"].map((d) => mkdir(join(root, d), { recursive: true })));
  await mkdir(join(REPO_ROOT, ".tmp"), { recursive: true });
  const workDir = await mkdtemp(join(REPO_ROOT, ".tmp", `it-${label}-`));
  const runTag = randomUUID();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: join(prefix, "share/jupyter"),
    JUPYTER_CONFIG_DIR: join(root, "cfg"),
    JUPYTER_DATA_DIR: join(root, "data"),
    JUPYTER_RUNTIME_DIR: join(root, "runtime"),
    // Debian's ipykernel prints a pydevd "frozen modules" warning at every start without this.
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
    PYTHONDONTWRITEBYTECODE: "1",
    [RUN_TAG_VARIABLE]: runTag,
  };
  const dispose = async (): Promise<void> => {
    await stopTaggedProcesses(runTag);
    await rm(root, { recursive: true, force: true });
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    if (kernelName === "kindling") await installKindlingKernelspec(prefix, env);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { kernelName, root, workDir, env, dispose };
}

async function installKindlingKernelspec(prefix: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!existsSync(KINDLING_CLI)) {
    throw new Error(`${KINDLING_CLI} is missing: build the kernel first with \`npx tsc -p .\` (npm test does it).`);
  }
  const result = await runProcess(process.execPath, [KINDLING_CLI, "install", "--prefix", prefix], { env, timeoutMs: 30_000 });
  const specFile = join(prefix, "share/jupyter/kernels/kindling/kernel.json");
  if (result.code !== 0 || !existsSync(specFile)) {
    throw new Error(
      `\`kindling install --prefix ${prefix}\` did not write ${specFile} (exit ${result.code}).\n${result.stdout}\n${result.stderr}`,
    );
  }
  const spec = JSON.parse(await readFile(specFile, "utf8")) as { language?: string };
  if (spec.language !== "typescript") throw new Error(`${specFile} has language ${String(spec.language)}, expected "typescript"`);
}
