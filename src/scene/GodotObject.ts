import { distance } from "fastest-levenshtein";
import { Callable } from "./Callable";
import { SceneTreeError } from "../core/errors";
import { reportWithoutTree, type TreeContext } from "./context";
import { isThenable } from "./thenable";
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

// Keys of the engine's hooks on every object: symbols, so that they stay off the names a subclass
// may use and out of the editor's completion. Not exported from the package.
/** How an object is named in error messages (a node's path). */
export const DESCRIBE: unique symbol = Symbol("scenetree.describe");
/** The tree that runs an object's deferred calls and reports its errors, or null. */
export const TRY_CONTEXT: unique symbol = Symbol("scenetree.tryContext");
/** Queues a deferred call; a node outside any tree keeps it until it enters one. */
export const DEFER: unique symbol = Symbol("scenetree.defer");
/** Set by a tree's `queueDelete`: what `isQueuedForDeletion()` reads. */
export const QUEUED: unique symbol = Symbol("scenetree.queued");

/**
 * `object.connect(signal, callable, flags)` where nothing will use the function it returns (a scene's
 * connections): the connection alone, with no disconnecting closure made per connection.
 */
export let connectWithoutHandle: (
  object: GodotObject,
  signal: string,
  callable: Callable | AnyListener,
  flags: number,
) => void;

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

  #freed = false;
  /** @internal */ [QUEUED] = false;

  /**
   * Connects `callable` to `signal`; returns a function that disconnects it (calling it twice is
   * harmless). Connecting an equal callable again is `ERR_ALREADY_CONNECTED`, unless REFERENCE_COUNTED.
   */
  connect<E extends keyof S & string>(signal: E, callable: SignalCallable<S[E]>, flags = 0): () => void {
    const made = this.#connect(signal, callable, flags);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (this[TABLE]?.records(signal)?.includes(made)) releaseConnection(this, made);
    };
  }

  /** `connect` without the disconnecting function: the connection made (or counted up). */
  #connect(signal: string, callable: unknown, flags: number): Connection {
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
          `Signal "${signal}" is already connected to ${describeCallable(callable)} on ${this[DESCRIBE]()}. ` +
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
    return connection;
  }

  static {
    connectWithoutHandle = (object, signal, callable, flags) => {
      // A subclass's own connect() still gets the call, as from any caller.
      if (object.connect !== GodotObject.prototype.connect) object.connect(signal as never, callable, flags);
      else object.#connect(signal, callable, flags);
    };
  }

  /**
   * Disconnects `callable` (a reference-counted connection only counts down, until its last). As in Godot,
   * the plain `Callable(target, method)` also disconnects a bound or unbound connection of that method.
   */
  disconnect<E extends keyof S & string>(signal: E, callable: SignalCallable<S[E]>): void {
    this.#requireSignal(signal, "disconnect");
    const connection = this.#findConnection(signal, callable, true);
    if (connection === undefined) {
      throw new SceneTreeError(
        "ERR_NOT_CONNECTED",
        `Signal "${signal}" is not connected to ${describeCallable(callable)} on ${this[DESCRIBE]()}.`,
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
      throw new SceneTreeError("ERR_SIGNAL_EXISTS", `${this[DESCRIBE]()} already has a signal "${signal}".`);
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
      throw new SceneTreeError("ERR_NO_SUCH_SIGNAL", `${this[DESCRIBE]()} has no user signal "${signal}".`);
    }
    for (const connection of [...(table.records(signal) ?? [])]) table.remove(connection);
    table.userSignals.delete(signal);
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
    this[DEFER]("callDeferred", label, call);
  }

  /**
   * Godot's `Object.set`: sets `property` when the object has it (a field, or an accessor with a
   * setter) and returns true. A name the object does not have, a method or a read-only accessor is left
   * alone and gives false (Godot's `r_valid`), without an error, as Godot's `set` does.
   */
  set(property: string, value: unknown): boolean {
    this.assertValid("set");
    if (!isSettable(this, property)) return false;
    (this as unknown as Record<string, unknown>)[property] = value;
    return true;
  }

  /**
   * Godot's `Object.get`: the value of `property` (a field or an accessor), or null (Godot's nil) when
   * the object has no such property; a method is not a property.
   */
  get(property: string): unknown {
    this.assertValid("get");
    const found = findProperty(this, property);
    if (found === null || found.method) return null;
    return (this as unknown as Record<string, unknown>)[property];
  }

  /**
   * Sets `property` to `value` at the tree's next deferred flush (Godot's `set_deferred`). A property
   * the object does not have (or a method, or a read-only accessor) is left alone then, as `set` does.
   */
  setDeferred(property: string, value: unknown): void {
    this.assertValid("setDeferred");
    this[DEFER]("setDeferred", `deferred set ${property}`, () => {
      if (isSettable(this, property)) (this as unknown as Record<string, unknown>)[property] = value;
    });
  }

  isQueuedForDeletion(): boolean {
    return this[QUEUED];
  }

  /** False once the object has been freed (Godot's `is_instance_valid`). */
  isInstanceValid(): boolean {
    return !this.#freed;
  }

  /** Frees the object now. Prefer `queueFree()` on nodes, which waits for a safe point in the frame. */
  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    this.#disconnectAll();
  }

  /** @internal */
  [DESCRIBE](): string {
    return this.constructor.name;
  }

  /** @internal Only a tree and what belongs to one have a context: see SceneTree.isolation. */
  [TRY_CONTEXT](): TreeContext | null {
    return null;
  }

  /** @internal */
  [DEFER](what: string, label: string, call: () => unknown): void {
    const context = this[TRY_CONTEXT]();
    if (!context) {
      throw new SceneTreeError(
        "ERR_NO_TREE",
        `${what}() on ${this[DESCRIBE]()} needs a SceneTree: this object belongs to none. ` +
          "Call it on a node (it runs on the tree the node is in, or next enters) or on the tree itself.",
      );
    }
    context.messageQueue.push(this, label, call);
  }

  protected assertValid(what: string): void {
    if (this.#freed) {
      throw new SceneTreeError("ERR_FREED", `${what}() called on a freed ${this.constructor.name}.`);
    }
  }

  /** @internal */
  override [ON_LISTENER_ERROR](signal: string | symbol, error: unknown): void {
    reportObjectError(this, `signal "${String(signal)}" handler`, error);
  }

  /** @internal An async listener: its rejection is reported like a throw. */
  override [ON_LISTENER_RESULT](signal: string | symbol, result: unknown): void {
    watchResult(this, signal, result);
  }

  /** @internal */
  override [DEFER_CALL](connection: Connection, args: unknown[], signal: string | symbol): void {
    // The target's tree runs it; a target in none (a plain object, a loose node) leaves it to the
    // source's tree, else to the target (a loose node keeps it for the tree it next enters). Either way
    // the call is dropped once the target is freed.
    const target = connection.target instanceof GodotObject ? connection.target : this;
    const label = `deferred signal "${String(signal)}" handler`;
    const call = (): unknown => invoke(this, connection, args);
    const sourceContext = target[TRY_CONTEXT]() === null ? this[TRY_CONTEXT]() : null;
    if (sourceContext !== null) sourceContext.messageQueue.push(target, label, call);
    else target[DEFER]("emit", label, call);
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

  /**
   * The connection of `signal` to `callable`. With `byBase`, when no connection is equal to it, the first
   * to the same target and method whatever its binds and unbinds: Godot's `disconnect` compares the base
   * callable (`get_base_comparator`), so `disconnect(sig, cb)` removes `cb.bind(1)`. `connect`'s duplicate
   * check and `isConnected` stay exact, as scenetree lets `cb.bind(1)` and `cb.bind(2)` both be connected.
   */
  #findConnection(signal: string, callable: unknown, byBase = false): Connection | undefined {
    const list = this[TABLE]?.records(signal);
    if (list === undefined) return undefined;
    for (const connection of list) {
      const own = connection.callable;
      if (own === callable) return connection;
      if (own instanceof Callable && own.equals(callable)) return connection;
    }
    if (byBase && callable instanceof Callable) {
      for (const connection of list) {
        const own = connection.callable;
        if (own instanceof Callable && own.target === callable.target && own.method === callable.method)
          return connection;
      }
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

/** Reports the rejection of `result` (if it is a promise) to the tree that is `object`'s now. */
function watchResult(object: GodotObject, signal: string | symbol, result: unknown): void {
  if (!isThenable(result)) return; // a handler whose expression body returns a value, say
  const what = `signal "${String(signal)}" handler`;
  const context = object[TRY_CONTEXT]();
  result.then(undefined, (error: unknown) => {
    if (context) context.reportError(object, what, error);
    else reportWithoutTree(object[DESCRIBE](), what, error);
  });
}

/** How `object` is named in error messages (a node's path). */
export function describeObject(object: GodotObject): string {
  return object[DESCRIBE]();
}

/**
 * Reports an error thrown by user code run for `object` to its tree (printed when it has none);
 * `path` names the object when it was captured earlier.
 */
export function reportObjectError(object: GodotObject, what: string, error: unknown, path?: string): void {
  const context = object[TRY_CONTEXT]();
  if (context) context.reportError(object, what, error, path);
  else reportWithoutTree(path ?? object[DESCRIBE](), what, error);
}

/** Whether anything listens to `signal` (cheaper than `listenerCount`). */
export function hasListeners(object: GodotObject, signal: string): boolean {
  const table = object[TABLE];
  return table !== null && table.entry(signal) !== undefined;
}

/**
 * `emit(signal, a, b)` for per-message signals: the usual single listener is called with no rest array
 * and no copy; anything else takes the ordinary emission, so its semantics stay in one place.
 */
export function emit2(object: GodotObject, signal: string, a: unknown, b: unknown): void {
  const table = object[TABLE];
  if (table === null) return;
  const entry = table.hotName === signal ? table.hotEntry : table.entry(signal);
  if (entry === undefined) return;
  const fast = typeof entry === "function" ? entry : entry.fast;
  if (fast === null) {
    emitEntry(object, entry, signal, [a, b]);
    return;
  }
  let result: unknown;
  try {
    result = fast.call(object, a, b);
  } catch (error) {
    reportObjectError(object, `signal "${signal}" handler`, error);
    return;
  }
  if (result !== undefined) watchResult(object, signal, result);
}

/** Godot's `is_instance_valid()`: false for null/undefined and for freed objects. */
export function isInstanceValid(object: GodotObject | null | undefined): boolean {
  return !!object && object.isInstanceValid();
}

/**
 * Where `object` (or its prototype chain, short of `Object.prototype`) defines `name`, and whether that is
 * a method: a function on a prototype. A function in the object's own field is a property (a callback).
 */
function findProperty(
  object: object,
  name: string,
): { descriptor: PropertyDescriptor; method: boolean } | null {
  for (
    let o: object | null = object;
    o !== null && o !== Object.prototype;
    o = Object.getPrototypeOf(o) as object | null
  ) {
    const descriptor = Object.getOwnPropertyDescriptor(o, name);
    if (descriptor === undefined) continue;
    const method = o !== object && "value" in descriptor && typeof descriptor.value === "function";
    return { descriptor, method };
  }
  return null;
}

function isSettable(object: object, name: string): boolean {
  const found = findProperty(object, name);
  if (found === null || found.method) return false;
  const { descriptor } = found;
  return "value" in descriptor ? descriptor.writable !== false : descriptor.set !== undefined;
}
