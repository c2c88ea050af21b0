/**
 * What request handlers need from the server: send a reply on the channel a request came from,
 * publish on IOPub, and the kernel's identity. Kept small so handlers are easy to test and read.
 */
import { createChildMessage, type JupyterMessage, type SessionIdentity } from "../protocol/message.js";
import type { Signer } from "../protocol/signer.js";
import { encodeMessage } from "../protocol/wire.js";
import type { IopubChannel } from "./iopub.js";
import type { SendQueue } from "./send-queue.js";

export type ChannelName = "shell" | "control";

export interface Channels {
  readonly identity: SessionIdentity;
  readonly iopub: IopubChannel;
  reply(channel: ChannelName, request: JupyterMessage, msgType: string, content: object, metadata?: Record<string, unknown>): void;
  /** Sends on stdin, routed with the identities of the shell request that asked for input. */
  stdinRequest(parent: JupyterMessage, content: { prompt: string; password: boolean }): void;
}

export function createChannels(
  identity: SessionIdentity,
  signer: Signer,
  iopub: IopubChannel,
  senders: { shell: SendQueue; control: SendQueue; stdin: SendQueue },
): Channels {
  return {
    identity,
    iopub,
    reply(channel, request, msgType, content, metadata = {}) {
      const message = createChildMessage(identity, msgType, content, request, { metadata });
      void senders[channel].send(encodeMessage(message, signer));
    },
    stdinRequest(parent, content) {
      const message = createChildMessage(identity, "input_request", content, parent);
      void senders.stdin.send(encodeMessage(message, signer));
    },
  };
}

/** The reply type for a request type ("execute_request" -> "execute_reply"). */
export function replyTypeFor(msgType: string): string | undefined {
  return msgType.endsWith("_request") ? `${msgType.slice(0, -"_request".length)}_reply` : undefined;
}
