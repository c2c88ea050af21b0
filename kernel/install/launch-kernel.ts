/**
 * Starts a kernel the way Jupyter does: a fresh connection file (random free ports, random key,
 * owner-only mode) and `node dist/kernel/cli.js kernel -f FILE` as a child process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeConnectionFile, type ConnectionInfo } from "../protocol/connection-file.js";

export interface LaunchedKernel {
  readonly child: ChildProcess;
  readonly info: ConnectionInfo;
  readonly connectionFile: string;
  /** Text the kernel wrote to stderr (its log). */
  readonly stderr: () => string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  kill(): Promise<void>;
}

export interface LaunchOptions {
  cwd?: string;
  key?: string;
  ip?: string;
  cliPath?: string;
  env?: NodeJS.ProcessEnv;
}

const DEFAULT_CLI = fileURLToPath(new URL("../cli.js", import.meta.url));

export async function launchKernel(options: LaunchOptions = {}): Promise<LaunchedKernel> {
  const ip = options.ip ?? "127.0.0.1";
  const [shell, control, stdin, iopub, hb] = await freePorts(ip, 5);
  const info: ConnectionInfo = {
    transport: "tcp",
    ip,
    shell_port: shell as number,
    control_port: control as number,
    stdin_port: stdin as number,
    iopub_port: iopub as number,
    hb_port: hb as number,
    key: options.key ?? randomBytes(16).toString("hex"),
    signature_scheme: "hmac-sha256",
    kernel_name: "kindling",
  };
  const dir = mkdtempSync(join(tmpdir(), "kindling-kernel-"));
  const connectionFile = join(dir, "kernel.json");
  writeConnectionFile(connectionFile, info);
  const child = spawn(process.execPath, [options.cliPath ?? DEFAULT_CLI, "kernel", "-f", connectionFile], {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString("utf8")));
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  void exited.then(() => rmSync(dir, { recursive: true, force: true }));
  return {
    child,
    info,
    connectionFile,
    stderr: () => log,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

async function freePorts(ip: string, count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, ip, () => resolve(server));
      }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === "object" && address ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
