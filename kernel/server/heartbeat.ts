/** Heartbeat: echo every ping byte-for-byte. Runs on the main thread, which never runs user code. */
import type * as zmq from "zeromq";

export async function runHeartbeat(socket: zmq.Reply, log: (line: string) => void): Promise<void> {
  try {
    for await (const frames of socket) {
      await socket.send(frames);
    }
  } catch (error) {
    if (!socket.closed) log(`heartbeat stopped: ${(error as Error).message}`);
  }
}
