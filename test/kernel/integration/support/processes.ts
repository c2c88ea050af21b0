/**
 * Child processes for integration tests: every run is bounded by a timeout, and every process a test
 * starts can be found again and stopped, even the kernels that Jupyter clients launch in their own
 * sessions (jupyter_client uses start_new_session, so killing our child's group does not reach them).
 * We tag the environment of everything we start with a unique KINDLING_IT_RUN value and, on cleanup,
 * stop exactly the processes carrying that tag, by pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";

export const RUN_TAG_VARIABLE = "KINDLING_IT_RUN";

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export interface RunOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs: number;
  readonly input?: string;
}

/** Runs a command to completion; on timeout its whole process group is killed and timedOut is set. */
export function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true, // own process group, so a timeout can stop its children too
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    if (child.stdin) {
      child.stdin.on("error", () => undefined); // a child that exits before reading its input is not our failure
      child.stdin.end(options.input);
    }
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, "SIGKILL");
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    };
    child.on("close", finish);
    // Grandchildren in their own sessions (kernels) can hold our pipes open after the child exits;
    // 'close' would then wait for them. Give the pipes a moment to drain, then report anyway.
    child.on("exit", (code, signal) => setTimeout(() => finish(code, signal), 2000).unref());
  });
}

/** Starts a long-running process (a server); the caller stops it with stopProcess. */
export function startProcess(command: string, args: readonly string[], options: Omit<RunOptions, "timeoutMs" | "input">): ChildProcess {
  return spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM, then SIGKILL after graceMs if the process has not exited. */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Pids of live processes whose environment carries our run tag (kernels started by Jupyter clients). */
export async function taggedProcesses(tag: string): Promise<number[]> {
  const marker = `${RUN_TAG_VARIABLE}=${tag}\0`;
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = await readFile(`/proc/${pid}/environ`, "latin1");
      if (environ.includes(marker)) pids.push(pid);
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return pids;
}

/** Stops every process carrying the tag; returns how many were still running (leaks worth reporting). */
export async function stopTaggedProcesses(tag: string): Promise<number> {
  const leftovers = await taggedProcesses(tag);
  for (const pid of leftovers) signalPid(pid, "SIGTERM");
  if (leftovers.length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const pid of await taggedProcesses(tag)) signalPid(pid, "SIGKILL");
  }
  return leftovers.length;
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** A TCP port free on 127.0.0.1 right now (jupyter server reports port 0 literally, so we pick one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
