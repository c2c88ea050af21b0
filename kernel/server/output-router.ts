/**
 * Routes the exec worker's outputs to IOPub with the right parent header: the running cell's, or,
 * for output from timers after a cell ended, the last cell's (as ipykernel does). Also turns
 * `input()` calls into input_request messages on stdin when the running cell's client allows it.
 */
import type { LanguageTools } from "../lang/api.js";
import type { OutputSink } from "../exec/exec-session.js";
import type { CellFailure, MimeBundle } from "../exec/worker-protocol.js";
import type { JupyterMessage } from "../protocol/message.js";
import type { Channels } from "./channels.js";
import { formatTraceback } from "./traceback.js";

export class OutputRouter implements OutputSink {
  private current: JupyterMessage | undefined;
  private last: JupyterMessage | undefined;
  private allowStdin = false;
  private pendingInput: { resolve: (value: string) => void; reject: (error: Error) => void } | undefined;
  /** Outputs held back (in order) until release(), so a cell's type warnings can go first. */
  private held: (() => void)[] | undefined;

  constructor(private readonly channels: Channels, private readonly tools: () => Promise<LanguageTools>) {}

  /** `holdOutputs`: keep the cell's outputs until release() (the caller publishes something first). */
  beginCell(request: JupyterMessage, allowStdin: boolean, holdOutputs = false): void {
    this.current = request;
    this.last = request;
    this.allowStdin = allowStdin;
    this.held = holdOutputs ? [] : undefined;
  }

  /** Publishes the held outputs in order; later outputs go out at once. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    for (const send of held ?? []) send();
  }

  endCell(): void {
    this.release();
    this.current = undefined;
    this.cancelInput(new Error("The cell ended before input arrived."));
  }

  private publish(msgType: string, content: object): void {
    const parent = this.parent;
    const send = (): void => this.channels.iopub.publish(msgType, content, parent);
    if (this.held !== undefined) this.held.push(send);
    else send();
  }

  private get parent(): JupyterMessage | undefined {
    return this.current ?? this.last;
  }

  stream(name: "stdout" | "stderr", text: string): void {
    this.publish("stream", { name, text });
  }

  display(bundle: MimeBundle, displayId: string | undefined, update: boolean): void {
    const content = { data: bundle.data, metadata: bundle.metadata, transient: displayId === undefined ? {} : { display_id: displayId } };
    this.publish(update ? "update_display_data" : "display_data", content);
  }

  clear(wait: boolean): void {
    this.publish("clear_output", { wait });
  }

  input(prompt: string, password: boolean): Promise<string> {
    const parent = this.current;
    if (!parent || !this.allowStdin) {
      return Promise.reject(new Error("This client does not accept input (allow_stdin is false); input() cannot ask for a value here."));
    }
    this.release(); // what the cell printed before asking (its prompt text) must show first
    this.cancelInput(new Error("A newer input() call replaced this one."));
    return new Promise<string>((resolve, reject) => {
      this.pendingInput = { resolve, reject };
      this.channels.stdinRequest(parent, { prompt, password });
    });
  }

  /** Called by the stdin receive loop with an input_reply's value. */
  answerInput(value: string): void {
    const pending = this.pendingInput;
    this.pendingInput = undefined;
    pending?.resolve(value);
  }

  cancelInput(reason: Error): void {
    const pending = this.pendingInput;
    this.pendingInput = undefined;
    pending?.reject(reason);
  }

  uncaught(failure: CellFailure, origin: "exception" | "rejection"): void {
    const parent = this.parent;
    const label = origin === "exception" ? "Uncaught exception" : "Unhandled promise rejection";
    void this.tools()
      .then((tools) => formatTraceback(failure, tools))
      .then((traceback) => {
        const where = parent ? " (from a timer or callback of an earlier cell; the kernel is still running)" : "";
        this.channels.iopub.publish("stream", { name: "stderr", text: `${label}${where}:\n${traceback.join("\n")}\n` }, parent);
      });
  }
}
