import { HotEmitter } from "./HotEmitter";
import type TypedEmitter from "typed-emitter";
import type { EventMap } from "typed-emitter";
import { Callable } from "./Callable";
import { SceneTreeError } from "./errors";
import { currentTreeContext, reportWithoutTree, type TreeContext } from "./context";

/** Godot's `Object.ConnectFlags`, same values. */
export enum ConnectFlags {
  DEFERRED = 1,
  PERSIST = 2,
  ONE_SHOT = 4,
  REFERENCE_COUNTED = 8,
}

export type SignalCallable<F> = F | Callable;

interface Connection {
  callable: unknown;
  flags: number;
  listener: (...args: unknown[]) => void;
}

interface IncomingConnection {
  source: GodotObject;
  signal: string;
  callable: Callable;
}

// typed-emitter only describes types; the runtime class is Node's own EventEmitter (through HotEmitter).
// Intersecting with it keeps objects assignable to EventEmitter, so `events.once(node, "ready")` type-checks.
const TypedEventEmitter = HotEmitter as unknown as {
  new <T extends EventMap>(): TypedEmitter<T> & HotEmitter;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

/**
 * Godot's `Object`, named as in Godot's C# API: typed signals on Node's EventEmitter (so
 * `events.once(obj, "signal")` works), Godot-style `connect`/`disconnect`, deferred calls and freeing.
 *
 * Every listener runs guarded: one that throws is reported with this object's path and the others
 * still run, as Godot prints a script error and goes on.
 */
export class GodotObject<S extends EventMap = EventMap> extends TypedEventEmitter<S> {
  private _freed = false;
  /** @internal */ _queuedForDeletion = false;
  private _connections: Map<string, Connection[]> | null = null;
  private _incoming: Set<IncomingConnection> | null = null;

  /** Connects `callable` to `signal`; returns a function that disconnects it (calling it twice is harmless). */
  connect<E extends keyof S & string>(signal: E, callable: SignalCallable<S[E]>, flags = 0): () => void {
    this.assertValid("connect");
    if (this.isConnected(signal, callable) && !(flags & ConnectFlags.REFERENCE_COUNTED)) {
      throw new SceneTreeError(
        "ERR_ALREADY_CONNECTED",
        `Signal "${signal}" is already connected to ${describeCallable(callable)} on ${this._describe()}. ` +
          "Disconnect it first, or pass ConnectFlags.REFERENCE_COUNTED.",
      );
    }
    const connection: Connection = { callable, flags, listener: () => undefined };
    connection.listener = this.makeListener(signal, connection);
    const list = (this._connections ??= new Map()).get(signal);
    if (list) list.push(connection);
    else this._connections.set(signal, [connection]);
    this.on(signal, connection.listener as S[E]);
    if (callable instanceof Callable && callable.target instanceof GodotObject) {
      (callable.target._incoming ??= new Set()).add({ source: this, signal, callable });
    }
    return () => {
      if (this.findConnection(signal, callable) === connection) this.disconnect(signal, callable);
    };
  }

  disconnect<E extends keyof S & string>(signal: E, callable: SignalCallable<S[E]>): void {
    const connection = this.findConnection(signal, callable);
    if (!connection) {
      throw new SceneTreeError(
        "ERR_NOT_CONNECTED",
        `Signal "${signal}" is not connected to ${describeCallable(callable)} on ${this._describe()}.`,
      );
    }
    this.removeConnection(signal, connection);
  }

  isConnected<E extends keyof S & string>(signal: E, callable: SignalCallable<S[E]>): boolean {
    return this.findConnection(signal, callable) !== undefined;
  }

  /** Emits `signal` with `args`; each listener is guarded. Returns whether anything was listening. */
  emitSignal<E extends keyof S & string>(signal: E, ...args: Parameters<S[E]>): boolean {
    return this.emit(signal, ...args);
  }

  // Guarded emit: used for every signal, including the engine's own, so one failing listener can
  // neither skip the others nor unwind the engine's lifecycle propagation.
  override emit<E extends keyof S>(event: E, ...args: Parameters<S[E]>): boolean;
  override emit(event: string | symbol, ...args: unknown[]): boolean;
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    // One listener is called without the copy rawListeners() would make; several are copied, as
    // EventEmitter does (see HotEmitter for why the slot is cached).
    const stored = this.hotListeners(event);
    if (stored === undefined) return false;
    if (typeof stored === "function") {
      try {
        stored.apply(this, args);
      } catch (error) {
        this._reportError(`signal "${String(event)}" handler`, error);
      }
      return true;
    }
    const listeners = stored.slice();
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i].apply(this, args);
      } catch (error) {
        this._reportError(`signal "${String(event)}" handler`, error);
      }
    }
    return true;
  }

  /**
   * @internal `emit(signal, a, b)` for per-message signals: the usual single listener is called with no
   * rest array; anything else takes the ordinary {@link emit}, so the guarded semantics stay in one place.
   */
  _emit2(signal: string, a: unknown, b: unknown): void {
    const stored = this.hotListeners(signal);
    if (typeof stored !== "function") {
      if (stored !== undefined) this.emit(signal, a, b);
      return;
    }
    try {
      stored.call(this, a, b);
    } catch (error) {
      this._reportError(`signal "${signal}" handler`, error);
    }
  }

  /**
   * Calls `method` (a function, or the name of a method of this object) with `args` at the tree's next
   * deferred flush. Calls deferred during a flush run in the same flush.
   */
  callDeferred(method: string | AnyFunction, ...args: unknown[]): void {
    this.assertValid("callDeferred");
    const call =
      typeof method === "function"
        ? () => method.apply(this, args)
        : () => new Callable(this, method).call(...args);
    const label =
      typeof method === "function" ? `deferred ${method.name || "function"}` : `deferred ${method}()`;
    this._context("callDeferred").messageQueue.push(this, label, call);
  }

  isQueuedForDeletion(): boolean {
    return this._queuedForDeletion;
  }

  /** False once the object has been freed (Godot's `is_instance_valid`). */
  isInstanceValid(): boolean {
    return !this._freed;
  }

  /** Frees the object now. Prefer `queueFree()` on nodes, which waits for a safe point in the frame. */
  free(): void {
    if (this._freed) return;
    this._predelete();
    this._freed = true;
    this._disconnectAll();
  }

  /** @internal Hook for subclasses: runs just before the object is marked freed. */
  protected _predelete(): void {}

  /** @internal How this object is named in error messages (a node's path). */
  _describe(): string {
    return this.constructor.name;
  }

  /** @internal The tree that runs this object's deferred calls and reports its errors. */
  _context(what: string): TreeContext {
    const context = currentTreeContext();
    if (!context) {
      throw new SceneTreeError(
        "ERR_NO_TREE",
        `${what}() needs a SceneTree: create one first (new SceneTree()).`,
      );
    }
    return context;
  }

  /** @internal Whether anything listens to `signal` (cheaper than `listenerCount`). */
  _hasListeners(signal: string): boolean {
    return (this as unknown as { _events?: Record<string, unknown> })._events?.[signal] !== undefined;
  }

  /** @internal */
  _reportError(what: string, error: unknown): void {
    const context = this._tryContext();
    if (context) context.reportError(this, what, error);
    else reportWithoutTree(this._describe(), what, error);
  }

  /** @internal */
  _tryContext(): TreeContext | null {
    return currentTreeContext();
  }

  protected assertValid(what: string): void {
    if (this._freed) {
      throw new SceneTreeError("ERR_FREED", `${what}() called on a freed ${this.constructor.name}.`);
    }
  }

  private makeListener(signal: string, connection: Connection): (...args: unknown[]) => void {
    const { callable, flags } = connection;
    // A plain function with no flags is registered as itself: no wrapper, no rest array, no apply on
    // every emission (a per-message signal pays for each of those).
    if (typeof callable === "function" && !(flags & (ConnectFlags.ONE_SHOT | ConnectFlags.DEFERRED))) {
      return callable as (...args: unknown[]) => void;
    }
    const invoke =
      callable instanceof Callable
        ? (args: unknown[]) => {
            if (callable.target instanceof GodotObject && !callable.target.isInstanceValid()) return;
            callable.call(...args);
          }
        : (args: unknown[]) => (callable as AnyFunction).apply(this, args);
    return (...args: unknown[]) => {
      // Godot disconnects a one-shot connection before calling it, so the callee may reconnect.
      if (flags & ConnectFlags.ONE_SHOT) this.removeConnection(signal, connection);
      if (flags & ConnectFlags.DEFERRED) {
        const target =
          callable instanceof Callable && callable.target instanceof GodotObject ? callable.target : this;
        this._context("emit").messageQueue.push(target, `deferred signal "${signal}" handler`, () =>
          invoke(args),
        );
      } else {
        invoke(args);
      }
    };
  }

  private findConnection(signal: string, callable: unknown): Connection | undefined {
    const list = this._connections?.get(signal);
    if (!list) return undefined;
    for (const connection of list) {
      if (connection.callable === callable) return connection;
      if (callable instanceof Callable && callable.equals(connection.callable)) return connection;
    }
    return undefined;
  }

  private removeConnection(signal: string, connection: Connection): void {
    const list = this._connections?.get(signal);
    if (!list) return;
    const index = list.indexOf(connection);
    if (index === -1) return;
    list.splice(index, 1);
    this.off(signal as keyof S, connection.listener as S[keyof S]);
    const { callable } = connection;
    if (callable instanceof Callable && callable.target instanceof GodotObject && callable.target._incoming) {
      for (const incoming of callable.target._incoming) {
        if (incoming.source === this && incoming.signal === signal && incoming.callable === callable) {
          callable.target._incoming.delete(incoming);
          break;
        }
      }
    }
  }

  private _disconnectAll(): void {
    // Connections made to this object from others go, as Godot disconnects them when the target dies.
    if (this._incoming) {
      for (const { source, signal, callable } of [...this._incoming]) {
        const connection = source.findConnection(signal, callable);
        if (connection) source.removeConnection(signal, connection);
      }
      this._incoming = null;
    }
    if (this._connections) {
      for (const [signal, list] of this._connections) {
        for (const connection of [...list]) this.removeConnection(signal, connection);
      }
      this._connections = null;
    }
  }
}

function describeCallable(callable: unknown): string {
  if (callable instanceof Callable) return callable.toString();
  const name = (callable as { name?: string }).name;
  return name ? `function ${name}` : "the given function";
}

/** Godot's `is_instance_valid()`: false for null/undefined and for freed objects. */
export function isInstanceValid(object: GodotObject | null | undefined): boolean {
  return !!object && object.isInstanceValid();
}
