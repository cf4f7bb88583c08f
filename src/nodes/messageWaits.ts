import type { ScheduledTask } from "../core/clock";

/**
 * What `waitForMessage` waits for: a predicate over the message (JSON text parsed, other text as the
 * string, binary as the Buffer; `raw` is always the bytes), or a JSON subset such as `{ type: "joined" }`
 * that a parsed JSON message must contain (see {@link matchesSubset}).
 */
export type MessageMatch =
  | ((message: unknown, raw: Buffer, isText: boolean) => boolean)
  | { readonly [key: string]: unknown }
  | readonly unknown[];

/**
 * A JSON subset of a message of type `T`, as `waitForMessage<T>(subset)` takes it: any part of `T`'s
 * fields, each a subset of its own type, so a misspelt key or a value of the wrong type does not compile.
 */
export type MessageSubset<T> = T extends readonly unknown[]
  ? readonly MessageSubset<T[number]>[]
  : T extends object
    ? { readonly [K in keyof T]?: MessageSubset<T[K]> }
    : T;

/** Settles one waiting call; each is settled exactly once. */
export interface MessageWait {
  readonly match: MessageMatch;
  readonly resolve: (message: unknown) => void;
  readonly reject: (error: Error) => void;
  timeout: ScheduledTask | null;
}

/**
 * The `waitForMessage` calls of one node that wait for a matching message. A message is parsed once
 * for all of them, and only while one waits: with none, the message path pays one null check.
 */
export class MessageWaits {
  private waits: MessageWait[] = [];

  get size(): number {
    return this.waits.length;
  }

  add(wait: MessageWait): void {
    this.waits.push(wait);
  }

  /** Removes `wait` if it still waits; false when it was settled already. */
  remove(wait: MessageWait): boolean {
    const index = this.waits.indexOf(wait);
    if (index === -1) return false;
    this.waits.splice(index, 1);
    return true;
  }

  /**
   * Resolves every wait the message matches, oldest first, with the parsed message. A predicate that
   * throws rejects its own wait with `matchFailed(error)`.
   */
  offer(raw: Buffer, isText: boolean, matchFailed: (error: unknown) => Error): void {
    let parsed = false;
    let message: unknown;
    for (const wait of [...this.waits]) {
      if (!parsed) {
        message = isText ? parseText(raw.toString()) : raw;
        parsed = true;
      }
      let matched: boolean;
      try {
        matched =
          typeof wait.match === "function"
            ? wait.match(message, raw, isText) === true
            : !Buffer.isBuffer(message) && matchesSubset(message, wait.match);
      } catch (error) {
        this.settle(wait)?.reject(matchFailed(error));
        continue;
      }
      if (matched) this.settle(wait)?.resolve(message);
    }
  }

  /** Rejects every wait with `error`. */
  rejectAll(error: Error): void {
    for (const wait of this.waits.splice(0)) {
      wait.timeout?.cancel();
      wait.reject(error);
    }
  }

  /** Takes `wait` out (it settles now); undefined if it had been settled. */
  private settle(wait: MessageWait): MessageWait | undefined {
    if (!this.remove(wait)) return undefined;
    wait.timeout?.cancel();
    return wait;
  }
}

/** JSON text parsed; any other text as it is. */
function parseText(text: string): unknown {
  const first = text.trimStart().charCodeAt(0);
  // Only what can start a JSON value is tried: a plain-text message costs no failed parse.
  const maybeJson =
    first === 0x7b /* { */ ||
    first === 0x5b /* [ */ ||
    first === 0x22 /* " */ ||
    first === 0x2d /* - */ ||
    (first >= 0x30 && first <= 0x39) ||
    text === "true" ||
    text === "false" ||
    text === "null";
  if (!maybeJson) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Whether `value` contains `subset`: an object subset matches an object that has each of its keys with
 * a matching value (other keys are ignored), an array matches an array of the same length whose items
 * match in order, anything else must be equal (`===`).
 */
export function matchesSubset(value: unknown, subset: unknown): boolean {
  if (subset === null || typeof subset !== "object") return value === subset;
  if (Array.isArray(subset))
    return (
      Array.isArray(value) &&
      value.length === subset.length &&
      subset.every((item, index) => matchesSubset(value[index], item))
    );
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  return Object.entries(subset).every(
    ([key, expected]) =>
      Object.prototype.hasOwnProperty.call(object, key) && matchesSubset(object[key], expected),
  );
}
