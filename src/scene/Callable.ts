import { SceneTreeError } from "../core/errors";
import type { CallableLike } from "../core/signals/SignalTable";

/** One `bind(...)` or `unbind(n)` applied to a callable. */
type Layer = { readonly bind: readonly unknown[] } | { readonly unbind: number };

const NO_LAYERS: readonly Layer[] = Object.freeze([]);

/**
 * `callable[RETARGETED](target)`: the same method with the same binds and unbinds, on another object
 * (what `duplicate()` connects a copy with). Engine-internal: not exported from the package.
 */
export const RETARGETED: unique symbol = Symbol("scenetree.retargeted");

/**
 * A method on an object, as Godot 4's `Callable(object, "method")`, with Godot 4's `bind` / `unbind`
 * layers: calling a bound callable appends its bound arguments after the call's own; each further
 * `bind` goes in front of the earlier ones (`bind(1).bind(2)` calls `method(...args, 2, 1)`, as
 * callable_bind.cpp does); `unbind(n)` drops the last `n` arguments. Scene files connect signals
 * through these, and the engine disconnects them by itself when the target is freed.
 */
export class Callable implements CallableLike {
  readonly target: object;
  readonly method: string;
  /** Outermost first: the order a call goes through them. */
  #layers: readonly Layer[];

  constructor(target: object, method: string, boundArgs: readonly unknown[] = NO_LAYERS) {
    this.target = target;
    this.method = method;
    // A plain callable (every scene connection without binds) shares one empty list: never mutated.
    this.#layers = boundArgs.length > 0 ? [{ bind: [...boundArgs] }] : NO_LAYERS;
  }

  /** A callable that appends `args` after the arguments it is called with (and before earlier binds). */
  bind(...args: unknown[]): Callable {
    return this.#with({ bind: args });
  }

  /** `bind` with an array; an empty one gives this callable itself, as Godot's `bindv` does. */
  bindv(args: readonly unknown[]): Callable {
    return args.length === 0 ? this : this.#with({ bind: [...args] });
  }

  /** A callable that drops the last `count` arguments it is called with (Godot's `unbind`). */
  unbind(count: number): Callable {
    if (!Number.isInteger(count) || count < 1) {
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `unbind() needs a whole number >= 1, got ${count}.`);
    }
    return this.#with({ unbind: count });
  }

  call(...args: unknown[]): unknown {
    return this.callv(args);
  }

  /**
   * Calls the method with `args` (plus or minus what the layers bind and unbind). A freed target is
   * `ERR_FREED` and a missing method `ERR_NO_SUCH_METHOD`, as Godot refuses to call either.
   */
  callv(args: readonly unknown[]): unknown {
    let callArgs = args;
    const layers = this.#layers;
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i];
      if ("bind" in layer) {
        callArgs = [...callArgs, ...layer.bind];
      } else {
        if (callArgs.length < layer.unbind) {
          throw new SceneTreeError(
            "ERR_INVALID_ARGUMENT",
            `${this.toString()} unbinds ${layer.unbind} argument(s) but got only ${callArgs.length}.`,
          );
        }
        callArgs = callArgs.slice(0, callArgs.length - layer.unbind);
      }
    }
    if (targetFreed(this.target)) {
      throw new SceneTreeError("ERR_FREED", `Attempt to call ${this.toString()} on a freed instance.`);
    }
    // The object's own method first, without a lookup object: this is every scene connection's call.
    const own = (this.target as Record<string, unknown>)[this.method];
    if (typeof own === "function") return (own as Method).apply(this.target, callArgs as unknown[]);
    const onClass = staticMethod(this.target, this.method);
    if (onClass === null) {
      throw new SceneTreeError("ERR_NO_SUCH_METHOD", `Method "${this.method}" does not exist on the target.`);
    }
    return onClass.apply((this.target as { constructor: unknown }).constructor, callArgs as unknown[]);
  }

  /** True while the target lives and has the method (Godot's `is_valid`). */
  isValid(): boolean {
    return !targetFreed(this.target) && methodOf(this.target, this.method) !== null;
  }

  getObject(): object {
    return this.target;
  }

  getMethod(): string {
    return this.method;
  }

  /**
   * Arguments a call should pass: the method's declared parameters (JavaScript's `length`: those
   * before the first default or rest parameter), minus bound ones, plus unbound ones. 0 when the
   * method is missing.
   */
  getArgumentCount(): number {
    const fn = methodOf(this.target, this.method);
    if (fn === null) return 0;
    let count = fn.length;
    for (const layer of this.#layers) count += "bind" in layer ? -layer.bind.length : layer.unbind;
    return count;
  }

  /** The arguments that actually reach the method from the binds (an unbind after a bind drops some). */
  getBoundArguments(): unknown[] {
    return this.#fold().bound;
  }

  getBoundArgumentsCount(): number {
    return this.#fold().bound.length;
  }

  /** How many of a call's own arguments the unbinds drop. */
  getUnboundArgumentsCount(): number {
    return this.#fold().unbound;
  }

  /** The bound arguments (see {@link getBoundArguments}). */
  get boundArgs(): readonly unknown[] {
    return this.getBoundArguments();
  }

  /**
   * Same target and method, and the same binds and unbinds with the same bound values (Godot's `==`
   * compares only how many values are bound; telling `bind(1)` from `bind(2)` lets both be connected).
   */
  equals(other: unknown): boolean {
    if (!(other instanceof Callable) || other.target !== this.target || other.method !== this.method)
      return false;
    const a = this.#layers;
    const b = other.#layers;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = b[i];
      if ("bind" in x) {
        if (!("bind" in y) || x.bind.length !== y.bind.length) return false;
        if (!x.bind.every((value, j) => value === y.bind[j])) return false;
      } else if (!("unbind" in y) || x.unbind !== y.unbind) {
        return false;
      }
    }
    return true;
  }

  toString(): string {
    return `${(this.target as { constructor: { name: string } }).constructor.name}::${this.method}`;
  }

  /** @internal See {@link RETARGETED}. */
  [RETARGETED](target: object): Callable {
    const next = new Callable(target, this.method);
    next.#layers = this.#layers;
    return next;
  }

  #with(layer: Layer): Callable {
    const next = new Callable(this.target, this.method);
    next.#layers = [layer, ...this.#layers];
    return next;
  }

  /** Godot's get_bound_arguments / get_unbound_arguments_count, folded from the innermost layer out. */
  #fold(): { bound: unknown[]; unbound: number } {
    let bound: unknown[] = [];
    let unbound = 0;
    for (let i = this.#layers.length - 1; i >= 0; i--) {
      const layer = this.#layers[i];
      if ("unbind" in layer) {
        unbound += layer.unbind;
        continue;
      }
      const added = Math.max(0, layer.bind.length - unbound);
      bound = [...layer.bind.slice(0, added), ...bound];
      unbound = Math.max(0, unbound - layer.bind.length);
    }
    return { bound, unbound };
  }
}

type Method = (...args: unknown[]) => unknown;

/**
 * The method `name` of `target`: its own (or inherited) method, else a static method of its class (called
 * on the class). Godot's `Callable(object, "method")` reaches the static methods bound to the object's
 * class too (test_callable.cpp's `Callable(my_test, "test_func_5")`).
 */
function methodOf(target: object, name: string): Method | null {
  const own = (target as Record<string, unknown>)[name];
  return typeof own === "function" ? (own as Method) : staticMethod(target, name);
}

function staticMethod(target: object, name: string): Method | null {
  const cls = (target as { constructor?: unknown }).constructor;
  if (typeof cls !== "function" || cls === Object || cls === Function) return null;
  const fn = (cls as unknown as Record<string, unknown>)[name];
  return typeof fn === "function" ? (fn as Method) : null;
}

function targetFreed(target: object): boolean {
  const valid = (target as { isInstanceValid?: unknown }).isInstanceValid;
  return typeof valid === "function" && !(valid as () => boolean).call(target);
}
