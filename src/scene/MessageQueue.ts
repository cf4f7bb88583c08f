import { isThenable } from "./thenable";

/** What a deferred call is made for: the call is dropped once it has been freed. */
export interface DeferredTarget {
  isInstanceValid(): boolean;
}

interface Message {
  target: DeferredTarget | null;
  /** What it returns is checked: an async call's rejection is reported like a throw. */
  call: () => unknown;
  label: string;
}

/** Where a deferred call's error goes (the tree's host): an object, so a queue costs no closure. */
export interface DeferredErrorSink {
  reportError(target: DeferredTarget | null, what: string, error: unknown): void;
  /** A call was queued: the next flush has work (a sleeping tree wakes, see frameSleep.ts). */
  wake?(): void;
}

/**
 * Deferred calls (`callDeferred`, DEFERRED connections, deferred group calls), flushed by the tree at
 * Godot's points in the frame. Calls queued during a flush run in the same flush, as Godot's
 * MessageQueue does; calls whose target was freed in the meantime are dropped.
 */
export class MessageQueue {
  /** Null while empty: most trees of a fleet go most frames without a deferred call. */
  private messages: Message[] | null = null;
  private flushing = false;

  constructor(private readonly sink: DeferredErrorSink) {}

  push(target: DeferredTarget | null, label: string, call: () => unknown): void {
    this.sink.wake?.();
    (this.messages ??= []).push({ target, call, label });
  }

  get size(): number {
    return this.messages === null ? 0 : this.messages.length;
  }

  flush(): void {
    if (this.flushing || this.messages === null) return; // a flush already running will reach whatever was just queued
    this.flushing = true;
    try {
      // Read afresh each time: calls queued meanwhile are reached, and a clear() meanwhile ends the loop.
      for (let i = 0; this.messages !== null && i < this.messages.length; i++) {
        const message = this.messages[i];
        if (message.target && !message.target.isInstanceValid()) continue;
        let result: unknown;
        try {
          result = message.call();
        } catch (error) {
          this.sink.reportError(message.target, message.label, error);
          continue;
        }
        if (result !== undefined && isThenable(result)) {
          result.then(undefined, (error: unknown) =>
            this.sink.reportError(message.target, message.label, error),
          );
        }
      }
    } finally {
      this.messages = null;
      this.flushing = false;
    }
  }

  /** Drops everything queued (used when a tree is torn down). */
  clear(): void {
    this.messages = null;
  }
}
