import { distance } from "fastest-levenshtein";
import { Callable } from "./Callable";
import { SceneTreeError } from "../core/errors";
import { currentTreeContext, isThenable, reportWithoutTree, type TreeContext } from "./context";
import { ConnectFlags } from "../core/signals/ConnectFlags";
import {
  CHECK_SIGNAL,
  DEFER_CALL,
  NO_LISTENERS,
  ON_LISTENER_ERROR,
  ON_LISTENER_RESULT,
  SignalEmitter,
  addConnection,
  emitEntry,
  invoke,
  releaseConnection,
  type SignalListeners,
} from "../core/signals/SignalEmitter";
import { SIGNALS, SignalTable, type AnyListener, type Connection } from "../core/signals/SignalTable";
import { SignalSet, classSignals, type NoSignals, type SignalInfo } from "../core/signals/SignalSet";

export { ConnectFlags };

export type SignalCallable<F> = F | Callable;

/** A connection as `getSignalConnectionList` and `getIncomingConnections` list it (Godot's Connection). */
export interface SignalConnection {
  /** The object whose signal it is. */
  readonly source: GodotObject;
  readonly signal: string;
  readonly callable: AnyListener | Callable;
  readonly flags: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;

// Read once: a binding imported from another module costs a getter call per use under tsx.
const TABLE: typeof SIGNALS = SIGNALS;
const REFERENCE_COUNTED = ConnectFlags.REFERENCE_COUNTED;

/**
 * Godot's `Object`, named as in Godot's C# API: the signals its class declares (`static signals`,
 * see {@link SignalSet}), Godot-style `connect` / `disconnect` with `ConnectFlags`, the EventEmitter
 * surface over the same connections (so `events.once(obj, "signal")` works), deferred calls and freeing.
 *
 * Every listener runs guarded: one that throws, or whose promise rejects, is reported with this
 * object's path and the others still run, as Godot prints a script error and goes on.
 */
export class GodotObject<S extends SignalListeners = SignalListeners> extends SignalEmitter<S> {
  /** The signals of this class; a subclass declares its own with `Parent.signals.extend({ ... })`. */
  static readonly signals: SignalSet<NoSignals> = SignalSet.empty();

  private _freed = false;
  /** @internal */ _queuedForDeletion = false;

  /**
   * Connects `callable` to `signal`; returns a function that disconnects it (calling it twice is
   * harmless). Connecting an equal callable again is `ERR_ALREADY_CONNECTED`, unless REFERENCE_COUNTED.
   */
  connect<E extends keyof S & string>(signal: E, callable: SignalCallable<S[E]>, flags = 0): () => void {
    this.assertValid("connect");
    this.#requireSignal(signal, "connect");
    if (typeof callable !== "function" && !(callable instanceof Callable)) {
      throw new SceneTreeError(
        "ERR_INVALID_ARGUMENT",
        `connect("${signal}") needs a function or a Callable.`,
      );
    }
    if (
      callable instanceof Callable &&
      callable.target instanceof GodotObject &&
      !callable.target.isInstanceValid()
    ) {
      throw new SceneTreeError(
        "ERR_FREED",
        `Can't connect "${signal}" to ${callable.toString()}: its object was freed.`,
      );
    }
    let connection = this.#findConnection(signal, callable);
    if (connection !== undefined) {
      if (!(flags & REFERENCE_COUNTED)) {
        throw new SceneTreeError(
          "ERR_ALREADY_CONNECTED",
          `Signal "${signal}" is already connected to ${describeCallable(callable)} on ${this._describe()}. ` +
            "Disconnect it first, or pass ConnectFlags.REFERENCE_COUNTED.",
        );
      }
      connection.refCount++;
    } else {
      connection = {
        source: this,
        signal,
        callable: callable as AnyListener | Callable,
        flags,
        target:
          callable instanceof Callable && callable.target instanceof GodotObject ? callable.target : null,
        refCount: flags & REFERENCE_COUNTED ? 1 : 0,
        targetFreed: false,
      };
      addConnection(this, connection);
    }
    const made = connection;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (this[TABLE]?.records(signal)?.includes(made)) releaseConnection(this, made);
    };
  }

  /** Disconnects `callable` (a reference-counted connection only counts down, until its last). */
  disconnect<E extends keyof S & string>(signal: E, callable: SignalCallable<S[E]>): void {
    this.#requireSignal(signal, "disconnect");
    const connection = this.#findConnection(signal, callable);
    if (connection === undefined) {
      throw new SceneTreeError(
        "ERR_NOT_CONNECTED",
        `Signal "${signal}" is not connected to ${describeCallable(callable)} on ${this._describe()}.`,
      );
    }
    releaseConnection(this, connection);
  }

  isConnected<E extends keyof S & string>(signal: E, callable: SignalCallable<S[E]>): boolean {
    this.#requireSignal(signal, "isConnected");
    return this.#findConnection(signal, callable) !== undefined;
  }

  /** Whether anything is connected to `signal` (Godot's `has_connections`). */
  hasConnections<E extends keyof S & string>(signal: E): boolean {
    this.#requireSignal(signal, "hasConnections");
    return this[TABLE]?.has(signal) ?? false;
  }

  /** Emits `signal` with `args`; each listener is guarded. Returns whether anything was listening. */
  emitSignal<E extends keyof S & string>(signal: E, ...args: Parameters<S[E]>): boolean {
    return this.emit(signal, ...args);
  }

  /** Whether the object has `signal`: declared by its class (or a parent class), or added to it. */
  hasSignal(signal: string): boolean {
    return (
      classSignals(this.constructor).names.has(signal) || (this[TABLE]?.userSignals?.has(signal) ?? false)
    );
  }

  /** Every signal the object has: its class's (latest declarations first), then its user signals. */
  getSignalList(): SignalInfo[] {
    const user = this[TABLE]?.userSignals;
    const list = [...classSignals(this.constructor).list];
    return user ? [...list, ...user.values()] : list;
  }

  /** The connections of `signal`, in the order they were made. */
  getSignalConnectionList(signal: string): SignalConnection[] {
    return (this[TABLE]?.records(signal) ?? []).map(describeConnection);
  }

  /** Connections of any object's signal to a Callable on this object. */
  getIncomingConnections(): SignalConnection[] {
    return [...(this[TABLE]?.incoming ?? [])].map(describeConnection);
  }

  /** Adds a signal to this one object (Godot's `add_user_signal`); `args` names its arguments. */
  addUserSignal(signal: string, args: readonly string[] = []): void {
    if (typeof signal !== "string" || signal.length === 0) {
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", "Signal name cannot be empty.");
    }
    if (this.hasSignal(signal)) {
      throw new SceneTreeError("ERR_SIGNAL_EXISTS", `${this._describe()} already has a signal "${signal}".`);
    }
    const table = this.#table();
    (table.userSignals ??= new Map()).set(signal, { name: signal, args: args.map((name) => ({ name })) });
  }

  hasUserSignal(signal: string): boolean {
    return this[TABLE]?.userSignals?.has(signal) ?? false;
  }

  /** Removes a signal added with `addUserSignal`, and its connections. */
  removeUserSignal(signal: string): void {
    const table = this[TABLE];
    if (!table?.userSignals?.has(signal)) {
      throw new SceneTreeError("ERR_NO_SUCH_SIGNAL", `${this._describe()} has no user signal "${signal}".`);
    }
    for (const connection of [...(table.records(signal) ?? [])]) table.remove(connection);
    table.userSignals.delete(signal);
  }

  /**
   * @internal `emit(signal, a, b)` for per-message signals: the usual single listener is called with no
   * rest array and no copy; anything else takes the ordinary emission, so its semantics stay in one place.
   */
  _emit2(signal: string, a: unknown, b: unknown): void {
    const table = this[TABLE];
    if (table === null) return;
    const entry = table.hotName === signal ? table.hotEntry : table.entry(signal);
    if (entry === undefined) return;
    const fast = typeof entry === "function" ? entry : entry.fast;
    if (fast === null) {
      emitEntry(this, entry, signal, [a, b]);
      return;
    }
    let result: unknown;
    try {
      result = fast.call(this, a, b);
    } catch (error) {
      this._reportError(`signal "${signal}" handler`, error);
      return;
    }
    if (result !== undefined) this.#watch(signal, result);
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
    this.#disconnectAll();
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
    const table = this[TABLE];
    return table !== null && table.entry(signal) !== undefined;
  }

  /** @internal `path`: how to name this object, when it was captured before (see `_describe`). */
  _reportError(what: string, error: unknown, path?: string): void {
    const context = this._tryContext();
    if (context) context.reportError(this, what, error, path);
    else reportWithoutTree(path ?? this._describe(), what, error);
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

  /** @internal */
  override [ON_LISTENER_ERROR](signal: string | symbol, error: unknown): void {
    this._reportError(`signal "${String(signal)}" handler`, error);
  }

  /** @internal An async listener: its rejection is reported like a throw. */
  override [ON_LISTENER_RESULT](signal: string | symbol, result: unknown): void {
    this.#watch(signal, result);
  }

  /** @internal */
  override [DEFER_CALL](connection: Connection, args: unknown[], signal: string | symbol): void {
    const target = connection.target instanceof GodotObject ? connection.target : this;
    this._context("emit").messageQueue.push(target, `deferred signal "${String(signal)}" handler`, () =>
      invoke(this, connection, args),
    );
  }

  /** @internal `on`, `once`… accept only this object's signals ("error" too: `events.once` listens to it). */
  override [CHECK_SIGNAL](signal: string | symbol, what: string): void {
    if (signal !== "error") this.#requireSignal(signal, what);
  }

  /** @internal Emitting a signal the object does not have is an error, as in Godot. */
  override [NO_LISTENERS](signal: string | symbol, _args: unknown[]): boolean {
    this.#requireSignal(signal, "emit");
    return false;
  }

  /** Reports the rejection of `result` (if it is a promise) to the tree that is ours now. */
  #watch(signal: string | symbol, result: unknown): void {
    if (!isThenable(result)) return; // a handler whose expression body returns a value, say
    const what = `signal "${String(signal)}" handler`;
    const context = this._tryContext();
    result.then(undefined, (error: unknown) => {
      if (context) context.reportError(this, what, error);
      else reportWithoutTree(this._describe(), what, error);
    });
  }

  #requireSignal(signal: string | symbol, what: string): void {
    if (typeof signal === "string" && this.hasSignal(signal)) return;
    const known = this.getSignalList().map((info) => info.name);
    const name = String(signal);
    const close = known.filter((k) => distance(k.toLowerCase(), name.toLowerCase()) <= 2);
    const hint =
      close.length > 0
        ? ` Did you mean ${close.map((k) => `"${k}"`).join(" or ")}?`
        : ` Declare it: static override readonly signals = ${parentName(this)}.signals.extend({ ${name}: signal() }).`;
    throw new SceneTreeError(
      "ERR_NO_SUCH_SIGNAL",
      `${what}(): ${this.constructor.name} has no signal "${name}".${hint}`,
    );
  }

  #table(): SignalTable {
    return (this[TABLE] ??= new SignalTable(this));
  }

  #findConnection(signal: string, callable: unknown): Connection | undefined {
    const list = this[TABLE]?.records(signal);
    if (list === undefined) return undefined;
    for (const connection of list) {
      const own = connection.callable;
      if (own === callable) return connection;
      if (own instanceof Callable && own.equals(callable)) return connection;
    }
    return undefined;
  }

  #disconnectAll(): void {
    const table = this[TABLE];
    if (table === null) return;
    // Connections made to this object from others go, as Godot disconnects them when the target dies;
    // an emission under way skips them.
    if (table.incoming) {
      for (const connection of [...table.incoming]) {
        connection.targetFreed = true;
        (connection.source as GodotObject)[TABLE]?.remove(connection);
      }
    }
    for (const connection of table.all()) table.remove(connection);
    this[TABLE] = null;
  }
}

function describeConnection(connection: Connection): SignalConnection {
  return {
    source: connection.source as GodotObject,
    signal: String(connection.signal),
    callable: connection.callable as AnyListener | Callable,
    flags: connection.flags,
  };
}

function describeCallable(callable: unknown): string {
  if (callable instanceof Callable) return callable.toString();
  const name = (callable as { name?: string }).name;
  return name ? `function ${name}` : "the given function";
}

function parentName(object: GodotObject): string {
  const parent = Object.getPrototypeOf(object.constructor) as { name?: string } | null;
  return parent?.name || "GodotObject";
}

/** Godot's `is_instance_valid()`: false for null/undefined and for freed objects. */
export function isInstanceValid(object: GodotObject | null | undefined): boolean {
  return !!object && object.isInstanceValid();
}
