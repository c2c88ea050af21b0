/**
 * `kindling check`, the README's first command, as a new user runs it: it installs the kernelspec
 * (here into a throwaway Jupyter data dir), starts the kernel, reports, and exits with its verdict.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJupyterEnv, KINDLING_CLI, type JupyterEnv } from "./support/jupyter-env.js";

interface CheckRun {
  readonly code: number | null;
  readonly stdout: string;
  /** Milliseconds from the verdict line to the process's exit. */
  readonly lingerMs: number;
}

function runCheck(env: NodeJS.ProcessEnv, cwd: string): Promise<CheckRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KINDLING_CLI, "check"], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let verdictAt: number | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (verdictAt === undefined && /The kernel works\.|check\(s\) failed/.test(stdout)) verdictAt = performance.now();
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, lingerMs: verdictAt === undefined ? Number.NaN : performance.now() - verdictAt }));
  });
}

describe("kindling check", () => {
  let jupyter: JupyterEnv | undefined;
  let run: CheckRun;

  beforeAll(async () => {
    jupyter = await createJupyterEnv("check");
    run = await runCheck(jupyter.env, jupyter.workDir);
  }, 170_000);

  afterAll(async () => jupyter?.dispose());

  it("reports every kernel check ok and exits 0", () => {
    expect(run.stdout).toContain("The kernel works.");
    expect(run.stdout).not.toMatch(/^FAIL/m);
    for (const step of ["kernelspec installed", "kernel started and answered kernel_info", "interrupt of `while (true) {}`", "variables survive an interrupt", "shutdown: exited cleanly"]) {
      expect(run.stdout).toMatch(new RegExp(`^ok +${step.replace(/[.*+?^${}()|[\]\\`]/g, "\\$&")}`, "m"));
    }
    expect(run.code).toBe(0);
  });

  it("installs the kernelspec where Jupyter looks for the user's kernels", () => {
    expect(existsSync(join(jupyter!.env["JUPYTER_DATA_DIR"]!, "kernels", "kindling", "kernel.json"))).toBe(true);
  });

  // It used to print its verdict, then wait for a 120 s step timer nobody cleared.
  it("exits as soon as it has said its verdict, leaving no timer behind", () => {
    expect(run.lingerMs).toBeLessThan(10_000);
  });
});
