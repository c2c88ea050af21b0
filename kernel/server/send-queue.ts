/**
 * zeromq v6 sockets allow one send in flight at a time; this queues sends per socket so callers can
 * fire and forget while order is preserved (IOPub order is what makes "output before idle" true).
 */
import type { Socket } from "zeromq";

interface Sendable extends Socket {
  send(frames: Buffer[]): Promise<void>;
}

export class SendQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly socket: Sendable, private readonly log: (line: string) => void) {}

  send(frames: Buffer[]): Promise<void> {
    const sent = this.tail.then(() => this.socket.send(frames));
    // A failed send (peer gone, socket closed) must not poison the queue or crash the kernel.
    this.tail = sent.catch((error: Error) => this.log(`send failed: ${error.message}`));
    return this.tail;
  }

  /** Resolves when everything queued so far has been handed to ZeroMQ. */
  drained(): Promise<void> {
    return this.tail;
  }
}
