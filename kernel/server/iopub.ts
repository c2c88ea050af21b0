/**
 * IOPub: every broadcast goes through one ordered queue, so a cell's outputs always reach clients
 * before that request's `idle`. Also answers new subscriptions with `iopub_welcome` (protocol 5.5).
 */
import type * as zmq from "zeromq";
import { createChildMessage, type JupyterMessage, type SessionIdentity } from "../protocol/message.js";
import type { Signer } from "../protocol/signer.js";
import { encodeMessage } from "../protocol/wire.js";
import { SendQueue } from "./send-queue.js";

export type ExecutionState = "starting" | "busy" | "idle";

export class IopubChannel {
  private readonly queue: SendQueue;

  constructor(
    private readonly socket: zmq.XPublisher,
    private readonly identity: SessionIdentity,
    private readonly signer: Signer,
    private readonly log: (line: string) => void,
  ) {
    this.queue = new SendQueue(socket, log);
  }

  publish(msgType: string, content: object, parent: JupyterMessage<object> | undefined, metadata: Record<string, unknown> = {}): void {
    const message = createChildMessage(this.identity, msgType, content, parent, { identities: [], metadata });
    void this.queue.send(encodeMessage(message, this.signer));
  }

  status(state: ExecutionState, parent: JupyterMessage<object> | undefined): void {
    this.publish("status", { execution_state: state }, parent);
  }

  drained(): Promise<void> {
    return this.queue.drained();
  }

  /** Reads subscription frames (first byte 1 = subscribe) and welcomes each subscriber. */
  async watchSubscriptions(): Promise<void> {
    try {
      for await (const [frame] of this.socket) {
        if (!frame || frame[0] !== 1) continue;
        const topic = frame.subarray(1).toString("utf8");
        this.publish("iopub_welcome", { subscription: topic }, undefined);
      }
    } catch (error) {
      if (!this.socket.closed) this.log(`iopub subscription watch stopped: ${(error as Error).message}`);
    }
  }
}
