/**
 * A minimal Jupyter client over ZeroMQ, used by `kindling check`, the benchmarks and the kernel's
 * reliability tests. It collects IOPub messages per request and resolves once both the reply and the
 * request's `idle` status have arrived (the same rule JupyterLab uses to call a request finished).
 */
import * as zmq from "zeromq";
import { channelAddress, type ConnectionInfo } from "./connection-file.js";
import { createChildMessage, createSessionIdentity, type JsonObject, type JupyterMessage, type SessionIdentity } from "./message.js";
import { createSigner, type Signer } from "./signer.js";
import { decodeMessage, encodeMessage } from "./wire.js";

export interface RequestResult {
  reply: JupyterMessage;
  /** IOPub messages whose parent is this request, in arrival order, including status messages. */
  iopub: JupyterMessage[];
}

interface Waiter {
  /** Preset to the sent message for messages that get no reply (comm_open, comm_msg): done at idle. */
  reply?: JupyterMessage;
  idle: boolean;
  iopub: JupyterMessage[];
  done: (result: RequestResult) => void;
}

export class KernelClient {
  readonly identity: SessionIdentity = createSessionIdentity("kindling-client");
  private readonly signer: Signer;
  // Shell and stdin share a routing id: the kernel routes input_request with the shell request's identity.
  private readonly routingId = `kindling-client-${this.identity.session}`;
  private readonly shell = new zmq.Dealer({ linger: 0, routingId: this.routingId });
  private readonly control = new zmq.Dealer({ linger: 0 });
  private readonly stdin = new zmq.Dealer({ linger: 0, routingId: this.routingId });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private readonly waiters = new Map<string, Waiter>();
  private readonly replyListeners = new Map<string, (reply: JupyterMessage) => void>();
  private readonly sendTails = new Map<zmq.Dealer, Promise<void>>();
  /** Every IOPub message seen, for tests that look at unparented or late messages. */
  readonly allIopub: JupyterMessage[] = [];
  /** Answers input_request messages (default: an empty string); `undefined` leaves the request unanswered. */
  onInput: (prompt: string, password: boolean) => string | undefined = () => "";

  constructor(private readonly info: ConnectionInfo) {
    this.signer = createSigner(info.key, info.signature_scheme);
  }

  /** Connects all channels; resolves once kernel_info is answered and IOPub delivers (so no output is missed). */
  async connect(timeoutMs = 10_000): Promise<void> {
    this.shell.connect(channelAddress(this.info, "shell"));
    this.control.connect(channelAddress(this.info, "control"));
    this.stdin.connect(channelAddress(this.info, "stdin"));
    this.iopub.connect(channelAddress(this.info, "iopub"));
    this.iopub.subscribe();
    void this.readReplies(this.shell);
    void this.readReplies(this.control);
    void this.readStdin();
    void this.readIopub();
    const deadline = Date.now() + timeoutMs;
    const replied = this.firstReply("shell", "kernel_info_request", deadline);
    this.kernelInfoReply = await replied;
    // IOPub is live once the kernel's iopub_welcome (protocol 5.5) or any broadcast arrives; kernels
    // without a welcome show it through the busy/idle of another kernel_info.
    while (this.allIopub.length === 0) {
      const attempt = this.request("shell", "kernel_info_request", {});
      await Promise.race([attempt, delay(200)]);
      if (Date.now() > deadline) throw new Error(`IOPub delivered nothing within ${timeoutMs} ms.`);
    }
  }

  /** The kernel_info_reply received by connect(). */
  kernelInfoReply: JupyterMessage | undefined;

  private async firstReply(channel: "shell" | "control", msgType: string, deadline: number): Promise<JupyterMessage> {
    for (;;) {
      const message = createChildMessage(this.identity, msgType, {}, undefined);
      const reply = new Promise<JupyterMessage>((resolve) => this.replyListeners.set(message.header.msg_id, resolve));
      void this.sendFrames(channel, encodeMessage(message, this.signer));
      const answered = await Promise.race([reply, delay(1_000).then(() => undefined)]);
      this.replyListeners.delete(message.header.msg_id);
      if (answered) return answered;
      if (Date.now() > deadline) throw new Error(`The kernel did not answer ${msgType} in time.`);
    }
  }

  request(channel: "shell" | "control", msgType: string, content: JsonObject, metadata: JsonObject = {}): Promise<RequestResult> {
    const message = createChildMessage(this.identity, msgType, content, undefined, { metadata });
    return this.sendAndWait(channel, message);
  }

  execute(code: string, options: JsonObject = {}): Promise<RequestResult> {
    return this.request("shell", "execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: true,
      ...options,
    });
  }

  /** Sends a message that has no reply (comm_open, comm_msg); resolves at its idle with `reply` = the message sent. */
  notify(channel: "shell" | "control", msgType: string, content: JsonObject): Promise<RequestResult> {
    const message = createChildMessage(this.identity, msgType, content, undefined);
    return this.sendAndWait(channel, message, false);
  }

  sendAndWait(channel: "shell" | "control", message: JupyterMessage, expectsReply = true): Promise<RequestResult> {
    const result = new Promise<RequestResult>((done) => {
      this.waiters.set(message.header.msg_id, { idle: false, iopub: [], done, ...(expectsReply ? {} : { reply: message }) });
    });
    void this.sendFrames(channel, encodeMessage(message, this.signer));
    return result;
  }

  /** Sends frames exactly as given (for fault-injection tests). */
  sendFrames(channel: "shell" | "control" | "stdin", frames: Buffer[]): Promise<void> {
    const socket = this[channel];
    const tail = (this.sendTails.get(socket) ?? Promise.resolve()).then(() => socket.send(frames));
    this.sendTails.set(socket, tail.catch(() => undefined));
    return tail;
  }

  encode(message: JupyterMessage): Buffer[] {
    return encodeMessage(message, this.signer);
  }

  /** Sends a ping on the heartbeat channel; true if it is echoed within the timeout. */
  async heartbeat(timeoutMs = 1_000, payload = Buffer.from("ping")): Promise<boolean> {
    // Our own deadline rather than socket timeouts: those can fire early when this process's event
    // loop was just blocked (e.g. after encoding a huge message), which would report a live kernel dead.
    const socket = new zmq.Request({ linger: 0 });
    socket.connect(channelAddress(this.info, "hb"));
    const echoed = (async () => {
      await socket.send(payload);
      const [echo] = await socket.receive();
      return echo !== undefined && echo.equals(payload);
    })().catch(() => false);
    try {
      return await Promise.race([echoed, delay(timeoutMs).then(() => false)]);
    } finally {
      socket.close();
    }
  }

  close(): void {
    for (const socket of [this.shell, this.control, this.stdin, this.iopub]) if (!socket.closed) socket.close();
  }

  private async readReplies(socket: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of socket) {
        const decoded = decodeMessage(frames, this.signer);
        if (!decoded.ok) continue;
        const parentId = (decoded.message.parent_header as { msg_id?: string }).msg_id;
        if (parentId) this.replyListeners.get(parentId)?.(decoded.message);
        const waiter = parentId ? this.waiters.get(parentId) : undefined;
        if (!waiter) continue;
        waiter.reply = decoded.message;
        this.settle(parentId as string, waiter);
      }
    } catch {
      // socket closed
    }
  }

  private async readIopub(): Promise<void> {
    try {
      for await (const frames of this.iopub) {
        const decoded = decodeMessage(frames, this.signer);
        if (!decoded.ok) continue;
        const message = decoded.message;
        this.allIopub.push(message);
        const parentId = (message.parent_header as { msg_id?: string }).msg_id;
        const waiter = parentId ? this.waiters.get(parentId) : undefined;
        if (!waiter) continue;
        waiter.iopub.push(message);
        if (message.header.msg_type === "status" && message.content["execution_state"] === "idle") {
          waiter.idle = true;
          this.settle(parentId as string, waiter);
        }
      }
    } catch {
      // socket closed
    }
  }

  private async readStdin(): Promise<void> {
    try {
      for await (const frames of this.stdin) {
        const decoded = decodeMessage(frames, this.signer);
        if (!decoded.ok || decoded.message.header.msg_type !== "input_request") continue;
        const prompt = String(decoded.message.content["prompt"] ?? "");
        const value = this.onInput(prompt, decoded.message.content["password"] === true);
        if (value === undefined) continue;
        const reply = createChildMessage(this.identity, "input_reply", { value }, decoded.message, { identities: [] });
        await this.sendFrames("stdin", encodeMessage(reply, this.signer));
      }
    } catch {
      // socket closed
    }
  }

  private settle(msgId: string, waiter: Waiter): void {
    if (!waiter.reply || !waiter.idle) return;
    this.waiters.delete(msgId);
    waiter.done({ reply: waiter.reply, iopub: waiter.iopub });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
