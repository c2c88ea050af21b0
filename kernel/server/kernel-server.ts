/**
 * The kernel process's main thread: binds the channels, decodes and verifies every message, wraps
 * every request in busy/idle, runs shell requests one at a time (aborting queued executes after an
 * error when stop_on_error is set) and answers control requests at once, even while a cell runs.
 */
import { createRequire } from "node:module";
import { ExecSession } from "../exec/exec-session.js";
import { loadLanguageTools } from "../exec/load-language-tools.js";
import type { LanguageTools } from "../lang/api.js";
import { isReadableByOthers, readConnectionFile, type ConnectionInfo } from "../protocol/connection-file.js";
import { createSessionIdentity, type JupyterMessage } from "../protocol/message.js";
import { createSigner, type Signer } from "../protocol/signer.js";
import { decodeMessage, MAX_CONTENT_BYTES } from "../protocol/wire.js";
import { createChannels, replyTypeFor, type ChannelName, type Channels } from "./channels.js";
import { handleExecute, type ExecuteState } from "./execute.js";
import { runHeartbeat } from "./heartbeat.js";
import { History } from "./history.js";
import { IopubChannel } from "./iopub.js";
import { kernelInfoContent } from "./kernel-info.js";
import { OutputRouter } from "./output-router.js";
import { requestHandlers, type RequestDeps } from "./requests.js";
import { SendQueue } from "./send-queue.js";
import { bindSockets, closeSockets, type KernelSockets } from "./sockets.js";

export interface KernelOptions {
  connectionFile: string;
  /** The notebook's directory: imports and relative paths resolve from here. */
  cwd: string;
  log?: (line: string) => void;
}

/** When the TypeScript tooling starts loading if no client has asked for kernel_info yet. */
const TOOLS_WARMUP_DELAY_MS = 300;

/** Hard limit between shutdown_request and process exit, far under Jupyter's 5 s escalation. */
const SHUTDOWN_DEADLINE_MS = 2_000;

export class KernelServer {
  private readonly identity = createSessionIdentity();
  private readonly signer: Signer;
  private readonly history = new History();
  private readonly state: ExecuteState = { executionCount: 0, strict: false, interruptRequested: false };
  private readonly shellQueue: JupyterMessage[] = [];
  private shellBusy = false;
  private sockets!: KernelSockets;
  private channels!: Channels;
  private exec!: ExecSession;
  private router!: OutputRouter;
  private toolsPromise: Promise<LanguageTools> | undefined;
  private shuttingDown = false;
  private readonly log: (line: string) => void;

  private constructor(private readonly connection: ConnectionInfo, private readonly options: KernelOptions) {
    this.log = options.log ?? ((line) => process.stderr.write(`[kindling] ${line}\n`));
    this.signer = createSigner(connection.key, connection.signature_scheme);
    if (!this.signer.enabled) this.log("connection file has an empty key: messages are not signed (authentication is off).");
    if (isReadableByOthers(options.connectionFile)) {
      this.log(`warning: ${options.connectionFile} is readable by other users; its key lets them run code. chmod 600 it.`);
    }
  }

  static async start(options: KernelOptions): Promise<KernelServer> {
    const server = new KernelServer(readConnectionFile(options.connectionFile), options);
    await server.bind();
    return server;
  }

  private async bind(): Promise<void> {
    this.sockets = await bindSockets(this.connection);
    const iopub = new IopubChannel(this.sockets.iopub, this.identity, this.signer, this.log);
    this.channels = createChannels(this.identity, this.signer, iopub, {
      shell: new SendQueue(this.sockets.shell, this.log),
      control: new SendQueue(this.sockets.control, this.log),
      stdin: new SendQueue(this.sockets.stdin, this.log),
    });
    this.router = new OutputRouter(this.channels, () => this.tools());
    this.exec = new ExecSession(this.options.cwd, this.router);
    iopub.status("starting", undefined);
    void iopub.watchSubscriptions();
    void runHeartbeat(this.sockets.heartbeat, this.log);
    void this.receive("shell");
    void this.receive("control");
    void this.receiveStdin();
    // Warm the TypeScript tooling once the first kernel_info is answered (clients send it first) or
    // after a short delay: loading the compiler competes for CPU with the first reply on small machines.
    setTimeout(() => void this.tools(), TOOLS_WARMUP_DELAY_MS).unref();
  }

  private tools(): Promise<LanguageTools> {
    this.toolsPromise ??= loadLanguageTools(this.options.cwd, this.log);
    return this.toolsPromise;
  }

  private async receive(channel: ChannelName): Promise<void> {
    const socket = this.sockets[channel];
    try {
      for await (const frames of socket) {
        const decoded = decodeMessage(frames, this.signer);
        if (!decoded.ok) {
          this.log(`dropped a ${channel} message: ${decoded.reason}`);
          continue;
        }
        if (channel === "control") void this.handleControl(decoded.message);
        else this.enqueueShell(decoded.message);
      }
    } catch (error) {
      if (!socket.closed) this.log(`${channel} receive loop stopped: ${(error as Error).message}`);
    }
  }

  private async receiveStdin(): Promise<void> {
    const socket = this.sockets.stdin;
    try {
      for await (const frames of socket) {
        const decoded = decodeMessage(frames, this.signer);
        if (!decoded.ok) {
          this.log(`dropped a stdin message: ${decoded.reason}`);
          continue;
        }
        if (decoded.message.header.msg_type === "input_reply") {
          const value = decoded.message.content["value"];
          this.router.answerInput(typeof value === "string" ? value : "");
        }
      }
    } catch (error) {
      if (!socket.closed) this.log(`stdin receive loop stopped: ${(error as Error).message}`);
    }
  }

  private enqueueShell(message: JupyterMessage): void {
    this.shellQueue.push(message);
    if (!this.shellBusy) void this.pumpShell();
  }

  private async pumpShell(): Promise<void> {
    this.shellBusy = true;
    try {
      for (let next = this.shellQueue.shift(); next; next = this.shellQueue.shift()) {
        await this.handle(next, "shell");
      }
    } finally {
      this.shellBusy = false;
    }
  }

  /**
   * Replies "aborted" to every execute_request already waiting, as ipykernel does after an error.
   * Runs in the same macrotask as the failed cell's reply, so a request the client sends after
   * seeing that reply is never caught (the receive loop had no turn in between); a Run-All batch was
   * pulled into the queue while the failing cell ran.
   */
  private abortQueuedExecutes(): void {
    const waiting = this.shellQueue.splice(0);
    for (const message of waiting) {
      if (message.header.msg_type !== "execute_request") {
        this.shellQueue.push(message);
        continue;
      }
      this.channels.iopub.status("busy", message);
      this.channels.reply("shell", message, "execute_reply", { status: "aborted", execution_count: this.state.executionCount });
      this.channels.iopub.status("idle", message);
    }
  }

  private async handleControl(message: JupyterMessage): Promise<void> {
    switch (message.header.msg_type) {
      case "interrupt_request":
        this.channels.iopub.status("busy", message);
        await this.interrupt();
        this.channels.reply("control", message, "interrupt_reply", { status: "ok" });
        this.channels.iopub.status("idle", message);
        return;
      case "shutdown_request":
        await this.shutdown(message, "control");
        return;
      default:
        await this.handle(message, "control");
    }
  }

  /** busy -> handler -> reply -> idle, for any request on shell or control. Never throws. */
  private async handle(message: JupyterMessage, channel: ChannelName): Promise<void> {
    const msgType = message.header.msg_type;
    if (msgType === "shutdown_request") return this.shutdown(message, channel); // publishes its own busy/idle
    this.channels.iopub.status("busy", message);
    try {
      if (message.oversizedContent !== undefined) {
        this.replyTooLarge(message, channel, message.oversizedContent);
      } else if (msgType === "execute_request" && channel === "shell") {
        this.state.interruptRequested = false;
        const outcome = await handleExecute(message, {
          channels: this.channels,
          exec: this.exec,
          tools: () => this.tools(),
          router: this.router,
          history: this.history,
          state: this.state,
        });
        if (outcome.failed && outcome.stopOnError) this.abortQueuedExecutes();
      } else if (msgType === "interrupt_request") {
        await this.interrupt();
        this.channels.reply(channel, message, "interrupt_reply", { status: "ok" });
      } else {
        const handler = requestHandlers[msgType];
        if (handler) await handler(message, channel, this.requestDeps());
        else this.replyUnknown(message, channel);
        if (msgType === "kernel_info_request") setImmediate(() => void this.tools());
      }
    } catch (error) {
      this.replyFailure(message, channel, error);
    } finally {
      this.channels.iopub.status("idle", message);
    }
  }

  private requestDeps(): RequestDeps {
    return {
      channels: this.channels,
      tools: () => this.tools(),
      history: this.history,
      connection: this.connection,
      kernelInfo: () => kernelInfoContent(typescriptVersion()),
    };
  }

  private replyUnknown(message: JupyterMessage, channel: ChannelName): void {
    const replyType = replyTypeFor(message.header.msg_type);
    this.log(`unknown message type "${message.header.msg_type}" on ${channel}`);
    if (!replyType) return;
    const evalue = `Kindling does not handle "${message.header.msg_type}".`;
    this.channels.reply(channel, message, replyType, { status: "error", ename: "UnknownMessageType", evalue, traceback: [evalue] });
  }

  private replyTooLarge(message: JupyterMessage, channel: ChannelName, bytes: number): void {
    const replyType = replyTypeFor(message.header.msg_type);
    const evalue = `The message content has ${bytes} bytes; the limit is ${MAX_CONTENT_BYTES}. Load large data from a file instead of sending it in a cell.`;
    this.log(`refused ${message.header.msg_type}: ${evalue}`);
    if (!replyType) return;
    const count = message.header.msg_type === "execute_request" ? { execution_count: this.state.executionCount } : {};
    this.channels.reply(channel, message, replyType, { status: "error", ...count, ename: "MessageTooLarge", evalue, traceback: [`MessageTooLarge: ${evalue}`] });
  }

  private replyFailure(message: JupyterMessage, channel: ChannelName, error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.log(`${message.header.msg_type} failed: ${err.stack ?? err.message}`);
    const replyType = replyTypeFor(message.header.msg_type);
    if (!replyType) return;
    this.channels.reply(channel, message, replyType, {
      status: "error",
      ename: err.name,
      evalue: err.message,
      traceback: (err.stack ?? err.message).split("\n"),
    });
  }

  async interrupt(): Promise<void> {
    // A cell still compiling has not reached the worker yet; it sees this flag before it runs.
    if (this.shellBusy) this.state.interruptRequested = true;
    // The worker's cancel rejects a pending input() with Interrupted; only then drop the stdin wait.
    await this.exec.interrupt();
    this.router.cancelInput(new Error("Interrupted while waiting for input."));
  }

  private async shutdown(message: JupyterMessage, channel: ChannelName): Promise<void> {
    const restart = message.content["restart"] === true;
    this.channels.iopub.status("busy", message);
    this.channels.reply(channel, message, "shutdown_reply", { status: "ok", restart });
    this.channels.iopub.status("idle", message);
    await this.stop();
  }

  /** Closes everything and exits the process; a timer guarantees exit even if a close hangs. */
  async stop(exitCode = 0): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    setTimeout(() => process.exit(exitCode), SHUTDOWN_DEADLINE_MS).unref();
    await Promise.race([this.channels.iopub.drained(), delay(200)]);
    await Promise.allSettled([
      this.exec.close(),
      this.toolsPromise?.then((tools) => tools.close()),
    ]);
    closeSockets(this.sockets);
    process.exit(exitCode);
  }
}

let cachedTypescriptVersion: string | undefined;
function typescriptVersion(): string {
  if (cachedTypescriptVersion) return cachedTypescriptVersion;
  try {
    const pkg = createRequire(import.meta.url)("typescript/package.json") as { version: string };
    cachedTypescriptVersion = pkg.version;
  } catch {
    cachedTypescriptVersion = "5";
  }
  return cachedTypescriptVersion;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
