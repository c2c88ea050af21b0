/**
 * Stops JavaScript that spins on the exec worker (`while (true) {}`), which cannot hear a posted
 * cancel message. The main thread attaches the inspector to its worker threads and sends
 * `Runtime.terminateExecution` to the exec worker only: the running stack unwinds, the worker's
 * context and variables survive (measured, research-kernel.md §3). Aimed at the main thread it
 * would abort the process, so it is never used there.
 */
import { Session } from "node:inspector";

interface AttachedWorker {
  sessionId: string;
  workerInfo: { workerId: string; type: string; title: string; url: string };
}

export class WorkerTerminator {
  private readonly session = new Session();
  private readonly attached = new Map<string, string>(); // worker url -> inspector session id
  private nextMessageId = 1;

  constructor() {
    this.session.connect();
    this.session.on("NodeWorker.attachedToWorker", (event: { params: AttachedWorker }) => {
      this.attached.set(event.params.workerInfo.url, event.params.sessionId);
    });
    this.session.on("NodeWorker.detachedFromWorker", (event: { params: { sessionId: string } }) => {
      for (const [url, id] of this.attached) if (id === event.params.sessionId) this.attached.delete(url);
    });
  }

  /** Call after a worker starts; the inspector reports existing workers on enable. */
  async watchWorkers(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.session.post("NodeWorker.enable", { waitForDebuggerOnStart: false }, (error) => (error ? reject(error) : resolve()));
    });
  }

  isAttached(workerUrl: string): boolean {
    return this.attached.has(workerUrl);
  }

  /** Returns false when the worker is not (yet) attached. */
  terminate(workerUrl: string): boolean {
    const sessionId = this.attached.get(workerUrl);
    if (!sessionId) return false;
    const message = JSON.stringify({ id: this.nextMessageId++, method: "Runtime.terminateExecution" });
    this.session.post("NodeWorker.sendMessageToWorker", { sessionId, message }, () => undefined);
    return true;
  }

  close(): void {
    this.session.disconnect();
  }
}
