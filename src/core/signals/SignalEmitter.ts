import { ConnectFlags } from "./ConnectFlags";
import { SIGNALS, SignalTable, type AnyListener, type Connection, type Entry } from "./SignalTable";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyEmitter = SignalEmitter<any>;

/** Signal name → listener type. Write signal maps as type aliases (an interface does not satisfy it). */
export type SignalListeners = Record<string, AnyListener>;

/** Hooks a subclass overrides (symbol-keyed, so they never meet a user's own member names). */
export const ON_LISTENER_ERROR: unique symbol = Symbol("scenetree.onListenerError");
export const ON_LISTENER_RESULT: unique symbol = Symbol("scenetree.onListenerResult");
export const DEFER_CALL: unique symbol = Symbol("scenetree.deferCall");
export const CHECK_SIGNAL: unique symbol = Symbol("scenetree.checkSignal");
export const NO_LISTENERS: unique symbol = Symbol("scenetree.noListeners");

// Read once: a binding imported from another module costs a getter call per use under tsx.
const ONE_SHOT = ConnectFlags.ONE_SHOT;
const DEFERRED = ConnectFlags.DEFERRED;
const REFERENCE_COUNTED = ConnectFlags.REFERENCE_COUNTED;
const APPEND_SOURCE_OBJECT = ConnectFlags.APPEND_SOURCE_OBJECT;
const TABLE: typeof SIGNALS = SIGNALS;

/**
 * An event emitter with the surface of Node's `EventEmitter` (`on`, `once`, `off`, `emit`,
 * `listenerCount`…, so `events.once(obj, "name")` works) over one {@link SignalTable} of Godot-style
 * connections. Any number of listeners, never a MaxListenersExceededWarning; a one-shot listener is
 * removed before it runs. What is not kept: the `newListener` / `removeListener` meta-events and
 * `captureRejections`.
 *
 * By default a throwing listener stops the emission and the error propagates, as with EventEmitter;
 * `GodotObject` overrides the hooks to guard every listener instead.
 */
/** Type-only key of {@link SignalEmitter}'s signal map (nothing is stored under it). */
export declare const SIGNAL_MAP: unique symbol;

/** The signal map (name → listener type) of an emitter's type, as its class declares it. */
export type SignalMapOf<O> = O extends { readonly [SIGNAL_MAP]?: infer S } ? S : never;

export class SignalEmitter<S extends SignalListeners = SignalListeners> {
  /** @internal */
  [SIGNALS]: SignalTable | null = null;
  /**
   * Type-only: the signals `S`, for types that read them ({@link SignalMapOf}, so `toSignal`). Never
   * set. Published on purpose (not marked internal): without it `toSignal` loses its typing there.
   */
  declare readonly [SIGNAL_MAP]?: S;

  on<E extends keyof S & string>(event: E, listener: S[E]): this {
    return listen(this, event, listener, 0, false);
  }

  addListener<E extends keyof S & string>(event: E, listener: S[E]): this {
    return listen(this, event, listener, 0, false);
  }

  prependListener<E extends keyof S & string>(event: E, listener: S[E]): this {
    return listen(this, event, listener, 0, true);
  }

  once<E extends keyof S & string>(event: E, listener: S[E]): this {
    return listen(this, event, listener, ONE_SHOT, false);
  }

  prependOnceListener<E extends keyof S & string>(event: E, listener: S[E]): this {
    return listen(this, event, listener, ONE_SHOT, true);
  }

  /** Removes the most recently added instance of `listener` (as EventEmitter does). */
  off<E extends keyof S & string>(event: E, listener: S[E]): this {
    this[TABLE]?.removeListener(event, listener);
    return this;
  }

  removeListener<E extends keyof S & string>(event: E, listener: S[E]): this {
    return this.off(event, listener);
  }

  removeAllListeners(event?: keyof S & string): this {
    const table = this[TABLE];
    if (table === null) return this;
    const connections = event === undefined ? table.all() : [...(table.records(event) ?? [])];
    for (const connection of connections) table.remove(connection);
    return this;
  }

  /** Calls every listener of `event` with `args`; false when there was none. */
  emit<E extends keyof S & string>(event: E, ...args: Parameters<S[E]>): boolean {
    const entry = this[TABLE]?.entry(event);
    if (entry === undefined) return this[NO_LISTENERS](event, args);
    emitEntry(this, entry, event, args);
    return true;
  }

  listeners<E extends keyof S & string>(event: E): S[E][] {
    const list = this[TABLE]?.records(event) ?? [];
    return list.map((c) => asFunction(c) as S[E]);
  }

  rawListeners<E extends keyof S & string>(event: E): S[E][] {
    return this.listeners(event);
  }

  listenerCount<E extends keyof S & string>(event: E, listener?: S[E]): number {
    const list = this[TABLE]?.records(event);
    if (list === undefined) return 0;
    if (listener === undefined) return list.length;
    let count = 0;
    for (const connection of list) if (connection.callable === listener) count++;
    return count;
  }

  eventNames(): (string | symbol)[] {
    return this[TABLE]?.signals() ?? [];
  }

  /** Accepted for EventEmitter compatibility; there is no listener limit. */
  setMaxListeners(_count: number): this {
    return this;
  }

  /** 0: no limit (EventEmitter's meaning of 0). */
  getMaxListeners(): number {
    return 0;
  }

  /**
   * What a per-message path needs to call the listeners of `event` itself: the sole plain listener, the
   * connections when there are others (call `emit` then), or undefined when nothing listens.
   */
  protected hotListeners(event: keyof S & string): AnyListener | readonly Connection[] | undefined {
    const table = this[TABLE];
    if (table === null) return undefined;
    const entry = table.hotName === event ? table.hotEntry : table.entry(event);
    if (entry === undefined || typeof entry === "function") return entry;
    return entry.fast ?? table.records(event);
  }

  /** @internal A listener threw. EventEmitter's behaviour: the error stops the emission and propagates. */
  [ON_LISTENER_ERROR](_signal: string | symbol, error: unknown): void {
    throw error;
  }

  /** @internal A listener returned something other than undefined (a promise, say). Ignored here. */
  [ON_LISTENER_RESULT](_signal: string | symbol, _result: unknown): void {}

  /** @internal A DEFERRED connection fired; without a queue to defer to, it runs now. */
  [DEFER_CALL](connection: Connection, args: unknown[], _signal: string | symbol): void {
    invoke(this, connection, args);
  }

  /** @internal A listener is about to be added to `signal` (a subclass may refuse unknown signals). */
  [CHECK_SIGNAL](_signal: string | symbol, _what: string): void {}

  /** @internal `emit` found no listener. EventEmitter throws an unhandled "error" event's argument. */
  [NO_LISTENERS](signal: string | symbol, args: unknown[]): boolean {
    if (signal === "error")
      throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error: ${String(args[0])}`);
    return false;
  }
}

function listen<T extends AnyEmitter>(
  emitter: T,
  event: string,
  listener: AnyListener,
  flags: number,
  prepend: boolean,
): T {
  if (typeof listener !== "function") {
    throw new TypeError(`The "listener" argument must be a function, got ${typeof listener}.`);
  }
  emitter[CHECK_SIGNAL](event, "on");
  const table = (emitter[TABLE] ??= new SignalTable(emitter));
  if (flags === 0) {
    table.addListener(event, listener, prepend);
  } else {
    const connection: Connection = {
      source: emitter,
      signal: event,
      callable: listener,
      flags,
      target: null,
      refCount: 0,
      targetFreed: false,
    };
    table.add(connection, prepend);
  }
  return emitter;
}

/** Adds `connection` to `emitter`'s table (created on first use). */
export function addConnection(emitter: AnyEmitter, connection: Connection, prepend = false): void {
  (emitter[TABLE] ??= new SignalTable(emitter)).add(connection, prepend);
}

/** Godot's non-forced disconnect: a reference-counted connection only counts down until its last one. */
export function releaseConnection(emitter: AnyEmitter, connection: Connection): void {
  if (connection.flags & REFERENCE_COUNTED && --connection.refCount > 0) return;
  emitter[TABLE]?.remove(connection);
}

/**
 * Calls the connections of `entry`, as Godot 4's `emit_signalp`: from a copy (so connecting or
 * disconnecting inside a listener changes the next emission, not this one), with every ONE_SHOT
 * connection disconnected before any listener runs (emitting again from a listener cannot run it twice),
 * skipping connections whose target was freed meanwhile.
 */
export function emitEntry(emitter: AnyEmitter, entry: Entry, signal: string | symbol, args: unknown[]): void {
  if (typeof entry === "function") {
    callPlain(emitter, entry, signal, args);
    return;
  }
  const list = entry.list;
  if (list === null || list.length === 1) {
    const connection = list === null ? entry.first! : list[0];
    if (connection.flags & ONE_SHOT) releaseConnection(emitter, connection);
    callConnection(emitter, connection, signal, args);
    return;
  }
  const snapshot = list.slice();
  for (let i = 0; i < snapshot.length; i++) {
    if (snapshot[i].flags & ONE_SHOT) releaseConnection(emitter, snapshot[i]);
  }
  for (let i = 0; i < snapshot.length; i++) {
    if (!snapshot[i].targetFreed) callConnection(emitter, snapshot[i], signal, args);
  }
}

function callPlain(
  emitter: AnyEmitter,
  listener: AnyListener,
  signal: string | symbol,
  args: unknown[],
): void {
  let result: unknown;
  try {
    result = listener.apply(emitter, args);
  } catch (error) {
    emitter[ON_LISTENER_ERROR](signal, error);
    return;
  }
  if (result !== undefined) emitter[ON_LISTENER_RESULT](signal, result);
}

function callConnection(
  emitter: AnyEmitter,
  connection: Connection,
  signal: string | symbol,
  args: unknown[],
): void {
  const callArgs = connection.flags & APPEND_SOURCE_OBJECT ? withSource(connection, args) : args;
  if (connection.flags & DEFERRED) {
    emitter[DEFER_CALL](connection, callArgs, signal);
    return;
  }
  let result: unknown;
  try {
    result = invoke(emitter, connection, callArgs);
  } catch (error) {
    emitter[ON_LISTENER_ERROR](signal, error);
    return;
  }
  if (result !== undefined) emitter[ON_LISTENER_RESULT](signal, result);
}

/**
 * The signal's arguments with the emitter after them, as APPEND_SOURCE_OBJECT wants: a callable's unbinds
 * drop only the signal's own arguments, so the source goes in before the ones they will drop.
 */
function withSource(connection: Connection, args: unknown[]): unknown[] {
  const callable = connection.callable;
  const unbound = typeof callable === "function" ? 0 : callable.getUnboundArgumentsCount();
  const at = Math.max(0, args.length - unbound);
  return [...args.slice(0, at), connection.source, ...args.slice(at)];
}

/** Calls one connection's listener with `args` (its source's signal arguments), unguarded. */
export function invoke(emitter: object, connection: Connection, args: unknown[]): unknown {
  const callable = connection.callable;
  return typeof callable === "function" ? callable.apply(emitter, args) : callable.callv(args);
}

function asFunction(connection: Connection): AnyListener {
  const callable = connection.callable;
  return typeof callable === "function" ? callable : (...args: unknown[]) => callable.callv(args);
}
