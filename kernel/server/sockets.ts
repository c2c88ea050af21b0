/**
 * The five Jupyter channels, bound only on the connection file's transport and ip: ROUTER for shell,
 * control and stdin, XPUB for IOPub (so we see subscriptions and can send iopub_welcome, 5.5), REP
 * for heartbeat.
 */
import * as zmq from "zeromq";
import { channelAddress, type ConnectionInfo } from "../protocol/connection-file.js";

export interface KernelSockets {
  shell: zmq.Router;
  control: zmq.Router;
  stdin: zmq.Router;
  iopub: zmq.XPublisher;
  heartbeat: zmq.Reply;
}

/** Largest message a client may send; bigger ones are dropped by ZeroMQ before we parse them. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export async function bindSockets(info: ConnectionInfo): Promise<KernelSockets> {
  const sockets: KernelSockets = {
    shell: new zmq.Router({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES }),
    control: new zmq.Router({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES }),
    stdin: new zmq.Router({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES }),
    iopub: new zmq.XPublisher({ linger: 0 }),
    heartbeat: new zmq.Reply({ linger: 0, maxMessageSize: MAX_MESSAGE_BYTES }),
  };
  // Every subscriber gets its own welcome, even for a topic someone else already subscribed to.
  sockets.iopub.verbosity = "allSubs";
  await Promise.all([
    sockets.shell.bind(channelAddress(info, "shell")),
    sockets.control.bind(channelAddress(info, "control")),
    sockets.stdin.bind(channelAddress(info, "stdin")),
    sockets.iopub.bind(channelAddress(info, "iopub")),
    sockets.heartbeat.bind(channelAddress(info, "hb")),
  ]);
  return sockets;
}

export function closeSockets(sockets: KernelSockets): void {
  for (const socket of Object.values(sockets) as zmq.Socket[]) {
    if (!socket.closed) socket.close();
  }
}
