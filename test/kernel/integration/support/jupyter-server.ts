/**
 * Debian's `jupyter server` on 127.0.0.1 with a random token and port, seeing only the kernelspecs of
 * the test's isolated env, and @jupyterlab/services settings to talk to it (the same client library
 * JupyterLab uses: REST for kernels, a WebSocket per kernel for messages).
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { ServerConnection } from "@jupyterlab/services";
import { JUPYTER, type JupyterEnv } from "./jupyter-env.js";
import { freePort, startProcess, stopProcess } from "./processes.js";

export interface RunningServer {
  readonly baseUrl: string;
  readonly token: string;
  readonly settings: ServerConnection.ISettings;
  /** Server log so far (stderr), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

export async function startJupyterServer(jupyter: JupyterEnv, startupTimeoutMs = 60_000): Promise<RunningServer> {
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const baseUrl = `http://127.0.0.1:${port}/`;
  const child: ChildProcess = startProcess(
    JUPYTER,
    [
      "server",
      "--allow-root",
      "--ServerApp.ip=127.0.0.1",
      `--ServerApp.port=${port}`,
      "--ServerApp.port_retries=0",
      `--ServerApp.token=${token}`,
      "--ServerApp.open_browser=False",
      `--ServerApp.root_dir=${jupyter.workDir}`,
      `--KernelSpecManager.allowed_kernelspecs=${jupyter.kernelName}`,
      "--KernelSpecManager.ensure_native_kernel=False",
    ],
    { env: jupyter.env, cwd: jupyter.workDir },
  );
  let log = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  const server: RunningServer = {
    baseUrl,
    token,
    // In Node (no `window`) @jupyterlab/services loads the `ws` package itself for kernel WebSockets.
    settings: ServerConnection.makeSettings({ baseUrl, wsUrl: `ws://127.0.0.1:${port}/`, token, appendToken: true }),
    log: () => log,
    stop: () => stopProcess(child),
  };
  try {
    await waitUntilAnswering(baseUrl, token, child, startupTimeoutMs);
  } catch (error) {
    await server.stop();
    throw new Error(`${(error as Error).message}\nserver log:\n${log.slice(-4000)}`);
  }
  return server;
}

async function waitUntilAnswering(baseUrl: string, token: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`jupyter server exited with ${child.exitCode} before answering`);
    try {
      const response = await fetch(new URL("api/status", baseUrl), { headers: { Authorization: `token ${token}` } });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`jupyter server did not answer /api/status within ${timeoutMs} ms`);
}
