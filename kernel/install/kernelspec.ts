/**
 * `kindling install`: writes kernels/<name>/kernel.json and the logos. argv uses absolute paths (the
 * node binary running this command and this package's cli.js), so Jupyter starts the same Kindling
 * whatever PATH it has.
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kernelsDir, type InstallTarget } from "./data-dirs.js";

export interface InstallOptions {
  target: InstallTarget;
  name: string;
}

/** dist/kernel/install/kernelspec.js -> dist/kernel/cli.js */
const CLI_PATH = fileURLToPath(new URL("../cli.js", import.meta.url));
const LOGOS = ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"];

export function parseInstallArgs(args: readonly string[]): InstallOptions | string {
  let target: InstallTarget = { kind: "user" };
  let name = "kindling";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--user") target = { kind: "user" };
    else if (arg === "--sys-prefix") target = { kind: "sys-prefix" };
    else if (arg === "--prefix" || arg === "--name") {
      const value = args[++i];
      if (!value) return `${arg} needs a value.`;
      if (arg === "--prefix") target = { kind: "prefix", prefix: value };
      else name = value;
    } else if (arg?.startsWith("--prefix=")) target = { kind: "prefix", prefix: arg.slice("--prefix=".length) };
    else if (arg?.startsWith("--name=")) name = arg.slice("--name=".length);
    else return `Unknown option "${arg}" for install; use --user, --sys-prefix, --prefix DIR or --name NAME.`;
  }
  if (!/^[a-z0-9._-]+$/i.test(name)) return `Kernel name "${name}" may only use letters, digits, ".", "_" and "-".`;
  return { target, name };
}

export function kernelJson(): Record<string, unknown> {
  return {
    argv: [process.execPath, CLI_PATH, "kernel", "-f", "{connection_file}"],
    display_name: "TypeScript (Kindling)",
    language: "typescript",
    interrupt_mode: "message",
    env: {},
    metadata: { debugger: false },
    kernel_protocol_version: "5.5",
  };
}

/** Returns the kernelspec directory written. */
export function installKernelspec(options: InstallOptions): string {
  const dir = join(kernelsDir(options.target), options.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), `${JSON.stringify(kernelJson(), null, 2)}\n`);
  const assets = findAssetsDir();
  if (assets) for (const logo of LOGOS) copyFileSync(join(assets, logo), join(dir, logo));
  return dir;
}

/** The logos live in kernel/assets (shipped in the package beside dist/). */
function findAssetsDir(): string | undefined {
  for (const relative of ["../assets", "../../../kernel/assets"]) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(join(dir, "logo-64x64.png"))) return dir;
  }
  return undefined;
}
