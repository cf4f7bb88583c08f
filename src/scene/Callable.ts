import { SceneTreeError } from "./errors";

/**
 * A method on an object, with optional bound arguments appended after the call's own arguments, as
 * Godot's `Callable(object, "method").bind(...)`. Scene files connect signals through these, and the
 * engine disconnects them by itself when the target is freed.
 */
export class Callable {
  constructor(
    readonly target: object,
    readonly method: string,
    readonly boundArgs: readonly unknown[] = [],
  ) {}

  bind(...args: unknown[]): Callable {
    return new Callable(this.target, this.method, [...this.boundArgs, ...args]);
  }

  call(...args: unknown[]): unknown {
    const fn = (this.target as Record<string, unknown>)[this.method];
    if (typeof fn !== "function") {
      throw new SceneTreeError("ERR_NO_SUCH_METHOD", `Method "${this.method}" does not exist on the target.`);
    }
    return fn.apply(this.target, this.boundArgs.length > 0 ? [...args, ...this.boundArgs] : args);
  }

  equals(other: unknown): boolean {
    return (
      other instanceof Callable &&
      other.target === this.target &&
      other.method === this.method &&
      other.boundArgs.length === this.boundArgs.length &&
      other.boundArgs.every((value, i) => value === this.boundArgs[i])
    );
  }

  toString(): string {
    return `${(this.target as { constructor: { name: string } }).constructor.name}::${this.method}`;
  }
}
