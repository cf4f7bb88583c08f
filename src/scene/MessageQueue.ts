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

/**
 * Deferred calls (`callDeferred`, DEFERRED connections, deferred group calls), flushed by the tree at
 * Godot's points in the frame. Calls queued during a flush run in the same flush, as Godot's
 * MessageQueue does; calls whose target was freed in the meantime are dropped.
 */
export class MessageQueue {
  private messages: Message[] = [];
  private flushing = false;

  constructor(
    private readonly report: (target: DeferredTarget | null, what: string, error: unknown) => void,
  ) {}

  push(target: DeferredTarget | null, label: string, call: () => unknown): void {
    this.messages.push({ target, call, label });
  }

  get size(): number {
    return this.messages.length;
  }

  flush(): void {
    if (this.flushing || this.messages.length === 0) return; // a flush already running will reach whatever was just queued
    this.flushing = true;
    try {
      for (let i = 0; i < this.messages.length; i++) {
        const message = this.messages[i];
        if (message.target && !message.target.isInstanceValid()) continue;
        let result: unknown;
        try {
          result = message.call();
        } catch (error) {
          this.report(message.target, message.label, error);
          continue;
        }
        if (result !== undefined && isThenable(result)) {
          result.then(undefined, (error: unknown) => this.report(message.target, message.label, error));
        }
      }
    } finally {
      this.messages = [];
      this.flushing = false;
    }
  }

  /** Drops everything queued (used when a tree is torn down). */
  clear(): void {
    this.messages = [];
  }
}
