#!/usr/bin/env node
/**
 * The `kindling` command: install the kernelspec, run the kernel for Jupyter, check an installation.
 */
import { runCheck } from "./check.js";
import { installKernelspec, parseInstallArgs } from "./install/kernelspec.js";
import { KernelServer } from "./server/kernel-server.js";

const HELP = `kindling - a TypeScript Jupyter kernel with a lazy, partitioned DataFrame runtime

Usage:
  kindling install [--user | --sys-prefix | --prefix DIR] [--name NAME]
      Write the Jupyter kernelspec (default: --user, name "kindling").
  kindling kernel -f CONNECTION_FILE
      Run the kernel (Jupyter starts this from the kernelspec).
  kindling check
      Install the kernelspec for this user, start the kernel as Jupyter would, run a TypeScript
      cell, interrupt a busy loop, try a small DataFrame pipeline, and report what works.
  kindling --help
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "install": {
      const parsed = parseInstallArgs(rest);
      if (typeof parsed === "string") return fail(parsed);
      const dir = installKernelspec(parsed);
      process.stdout.write(`Installed kernelspec "${parsed.name}" in ${dir}\n`);
      return 0;
    }
    case "kernel": {
      const fileAt = rest.findIndex((arg) => arg === "-f" || arg === "--connection-file");
      const file = fileAt >= 0 ? rest[fileAt + 1] : rest.find((arg) => arg.endsWith(".json"));
      if (!file) return fail("kindling kernel needs -f CONNECTION_FILE (Jupyter passes {connection_file}).");
      const server = await KernelServer.start({ connectionFile: file, cwd: process.cwd() });
      // Jupyter's interrupt_mode is "message", but terminals and some clients still send SIGINT:
      // treat it as an interrupt of the running cell, never as "exit".
      process.on("SIGINT", () => void server.interrupt());
      process.on("SIGTERM", () => void server.stop(0));
      // A bug in the kernel's own request handling must not take the user's variables down with it:
      // log it (Jupyter shows the kernel's stderr in its log) and keep serving.
      process.on("uncaughtException", (error) => process.stderr.write(`[kindling] internal error: ${error.stack ?? error.message}\n`));
      process.on("unhandledRejection", (reason) => process.stderr.write(`[kindling] internal rejection: ${String(reason)}\n`));
      return -1; // keep running
    }
    case "check":
      return runCheck();
    case undefined:
    case "-h":
    case "--help":
    case "help":
      process.stdout.write(HELP);
      return 0;
    default:
      return fail(`Unknown command "${command}".\n\n${HELP}`);
  }
}

function fail(message: string): number {
  process.stderr.write(`kindling: ${message}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`kindling: ${error.message}\n`);
    process.exitCode = 1;
  },
);
