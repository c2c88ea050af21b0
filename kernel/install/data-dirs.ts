/** Where Jupyter looks for kernelspecs, following jupyter_core's data-dir rules (no Python needed). */
import { homedir } from "node:os";
import { join } from "node:path";

export type InstallTarget = { kind: "user" } | { kind: "sys-prefix" } | { kind: "prefix"; prefix: string };

export function kernelsDir(target: InstallTarget, env: NodeJS.ProcessEnv = process.env): string {
  switch (target.kind) {
    case "user":
      return join(userDataDir(env), "kernels");
    case "sys-prefix":
      // Jupyter's sys.prefix: a virtualenv if one is active, else Debian's system prefix.
      return join(env["VIRTUAL_ENV"] ?? env["CONDA_PREFIX"] ?? "/usr/local", "share", "jupyter", "kernels");
    case "prefix":
      return join(target.prefix, "share", "jupyter", "kernels");
  }
}

export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env["JUPYTER_DATA_DIR"]) return env["JUPYTER_DATA_DIR"];
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return join(env["APPDATA"] ?? homedir(), "jupyter");
  return join(env["XDG_DATA_HOME"] ?? join(homedir(), ".local", "share"), "jupyter");
}
