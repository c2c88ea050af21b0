/**
 * Debian's jupyter_kernel_test (every optional check on) plus our protocol, interrupt, restart and
 * shutdown checks (kernel_tests.py and friends), run by Debian's Python against the installed kernelspec.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJupyterEnv, DEBIAN_PYTHON, INTEGRATION_DIR, kernelUnderTest, type JupyterEnv } from "./support/jupyter-env.js";
import { runProcess, type ProcessResult } from "./support/processes.js";

interface CheckRecord {
  readonly id: string;
  readonly status: "passed" | "failed" | "skipped";
  readonly detail: string;
  readonly seconds: number;
}

interface ConformanceReport {
  readonly kernel: string;
  readonly records: readonly CheckRecord[];
  readonly notApplicable: Readonly<Record<string, string>>;
}

const kernel = kernelUnderTest();

describe(`kernel conformance (${kernel}) with jupyter_kernel_test and protocol checks`, () => {
  let jupyter: JupyterEnv | undefined;
  let run: ProcessResult;
  let report: ConformanceReport;

  beforeAll(async () => {
    jupyter = await createJupyterEnv("conformance");
    const resultsFile = join(jupyter.root, "conformance.json");
    run = await runProcess(DEBIAN_PYTHON, ["run_conformance.py", resultsFile], {
      cwd: INTEGRATION_DIR,
      env: { ...jupyter.env, KINDLING_KERNEL_NAME: kernel },
      timeoutMs: 600_000, // ~3 min on an idle 2-core machine; generous for a loaded one
    });
    if (run.timedOut) throw new Error(`conformance run timed out\n${run.stdout}\n${run.stderr.slice(-4000)}`);
    report = JSON.parse(await readFile(resultsFile, "utf8")) as ConformanceReport;
    console.log(run.stdout);
  }, 660_000);

  afterAll(async () => {
    await jupyter?.dispose();
  });

  it("ran the whole suite (jupyter_kernel_test checks and ours)", () => {
    const ids = report.records.map((r) => r.id);
    expect(ids.some((id) => id.includes("KindlingKernelTests.test_execute_result"))).toBe(true);
    expect(ids.some((id) => id.includes("ProtocolTests.test_no_output_after_idle"))).toBe(true);
    expect(ids.some((id) => id.includes("InterruptTests.test_interrupt_busy_loop_keeps_state"))).toBe(true);
    expect(report.records.length).toBeGreaterThanOrEqual(45);
  });

  it("fails no check", () => {
    const failed = report.records
      .filter((r) => r.status === "failed")
      .map((r) => `${r.id}\n${r.detail.split("\n").slice(-6).join("\n")}`);
    expect(failed, failed.join("\n\n")).toEqual([]);
    expect(run.code).toBe(0);
  });

  it("skips nothing except checks that have no meaning for the language", () => {
    const skipped = report.records
      .filter((r) => r.status === "skipped")
      .filter((r) => !Object.keys(report.notApplicable).some((name) => r.id.endsWith(`.${name}`)))
      .map((r) => `${r.id}: ${r.detail}`);
    expect(skipped).toEqual([]);
  });
});
