import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { kernelsDir, userDataDir } from "../../../kernel/install/data-dirs.js";
import { installKernelspec, kernelJson, parseInstallArgs } from "../../../kernel/install/kernelspec.js";
import { tempDir } from "../../support/temp-dirs.js";

describe("kernelspec install", () => {
  it("parses the target flags and the name", () => {
    expect(parseInstallArgs([])).toEqual({ target: { kind: "user" }, name: "kindling" });
    expect(parseInstallArgs(["--sys-prefix"])).toEqual({ target: { kind: "sys-prefix" }, name: "kindling" });
    expect(parseInstallArgs(["--prefix", "/opt/x", "--name", "ts"])).toEqual({ target: { kind: "prefix", prefix: "/opt/x" }, name: "ts" });
    expect(parseInstallArgs(["--bogus"])).toMatch(/Unknown option "--bogus"/);
    expect(parseInstallArgs(["--name", "bad name"])).toMatch(/may only use/);
  });

  it("follows Jupyter's data dirs", () => {
    expect(userDataDir({ JUPYTER_DATA_DIR: "/data/j" })).toBe("/data/j");
    expect(kernelsDir({ kind: "user" }, { XDG_DATA_HOME: "/xdg" })).toBe("/xdg/jupyter/kernels");
    expect(kernelsDir({ kind: "prefix", prefix: "/p" })).toBe("/p/share/jupyter/kernels");
    expect(kernelsDir({ kind: "sys-prefix" }, {})).toBe("/usr/local/share/jupyter/kernels");
  });

  it("writes kernel.json with absolute argv, message interrupts and logos", () => {
    const prefix = tempDir("kindling-spec-");
    const dir = installKernelspec({ target: { kind: "prefix", prefix }, name: "kindling" });
    expect(dir).toBe(join(prefix, "share/jupyter/kernels/kindling"));
    const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8")) as ReturnType<typeof kernelJson>;
    expect(spec["display_name"]).toBe("TypeScript (Kindling)");
    expect(spec["language"]).toBe("typescript");
    expect(spec["interrupt_mode"]).toBe("message");
    const argv = spec["argv"] as string[];
    expect(argv[0]).toBe(process.execPath);
    expect(argv.slice(2)).toEqual(["kernel", "-f", "{connection_file}"]);
    expect(existsSync(join(dir, "logo-64x64.png"))).toBe(true);
    expect(existsSync(join(dir, "logo-svg.svg"))).toBe(true);
  });
});
