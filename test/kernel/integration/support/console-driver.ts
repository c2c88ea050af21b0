/**
 * Drives `jupyter console --simple-prompt` through tmux, as a person at a terminal would: type a line,
 * press Enter, wait for the next `In [n]:` prompt. A plain stdin pipe hung in 4 of 10 runs in the
 * research (the console reads the terminal), tmux never did. The tmux server runs on a private socket
 * inside the test's temp dir, so the user's own tmux sessions are never touched.
 */
import { join } from "node:path";
import { JUPYTER, type JupyterEnv } from "./jupyter-env.js";
import { runProcess } from "./processes.js";

const EXIT_MARKER = "CONSOLE-EXITED";

export interface ConsoleTranscript {
  /** The screen text after all lines ran (scrollback included, wrapped lines joined). */
  readonly text: string;
  /** True when the console left cleanly after Ctrl-D. */
  readonly exited: boolean;
}

export class ConsoleDriver {
  private readonly socket: string;
  private readonly session = "kindling-console";

  constructor(private readonly jupyter: JupyterEnv) {
    this.socket = join(jupyter.root, "tmux.sock");
  }

  async start(kernelName: string, startupTimeoutMs = 60_000): Promise<void> {
    const command =
      `${JUPYTER} console --kernel ${kernelName} --simple-prompt --no-confirm-exit --ZMQTerminalInteractiveShell.kernel_timeout=60; ` +
      `echo ${EXIT_MARKER}; sleep 120`;
    await this.tmux(["new-session", "-d", "-s", this.session, "-x", "200", "-y", "50", command]);
    await this.waitFor((screen) => /In \[1\]:/.test(screen), startupTimeoutMs, "the first In [1]: prompt");
  }

  /** Types each line and waits for the prompt that follows it. */
  async run(lines: readonly string[], perLineTimeoutMs = 30_000): Promise<void> {
    for (const line of lines) {
      const before = this.promptCount(await this.screen());
      await this.tmux(["send-keys", "-t", this.session, "-l", line]);
      await this.tmux(["send-keys", "-t", this.session, "Enter"]);
      await this.waitFor((screen) => this.promptCount(screen) > before, perLineTimeoutMs, `the prompt after ${JSON.stringify(line)}`);
    }
  }

  async finish(timeoutMs = 20_000): Promise<ConsoleTranscript> {
    await this.tmux(["send-keys", "-t", this.session, "C-d"]);
    let exited = true;
    try {
      await this.waitFor((screen) => screen.includes(EXIT_MARKER), timeoutMs, "the console to exit");
    } catch {
      exited = false;
    }
    return { text: await this.screen(), exited };
  }

  async dispose(): Promise<void> {
    await runProcess("tmux", ["-S", this.socket, "kill-server"], { env: this.jupyter.env, timeoutMs: 10_000 }).catch(() => undefined);
  }

  async screen(): Promise<string> {
    const result = await this.tmux(["capture-pane", "-p", "-J", "-S", "-1000", "-t", this.session]);
    return result;
  }

  private promptCount(screen: string): number {
    return (screen.match(/In \[\d+\]:/g) ?? []).length;
  }

  private async waitFor(done: (screen: string) => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let screen = "";
    while (Date.now() < deadline) {
      screen = await this.screen();
      if (done(screen)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`jupyter console: no ${what} within ${timeoutMs} ms. Screen:\n${screen}`);
  }

  private async tmux(args: readonly string[]): Promise<string> {
    const result = await runProcess("tmux", ["-S", this.socket, ...args], { env: this.jupyter.env, timeoutMs: 10_000 });
    if (result.code !== 0) throw new Error(`tmux ${args[0]} failed (exit ${result.code}): ${result.stderr}`);
    return result.stdout;
  }
}
