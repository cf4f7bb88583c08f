import type { SignalInfo } from "./SignalSet";

/** Where an emitter keeps its {@link SignalTable} (null until its first connection). */
export const SIGNALS: unique symbol = Symbol("scenetree.signals");

/**
 * Called on an emitter that has it whenever a listener is added to one of its signals: a sleeping
 * SceneTree wakes then, since a `processFrame` listener gives its next frame work.
 */
export const LISTENED: unique symbol = Symbol("scenetree.listened");

function notifyListened(owner: object): void {
  const listened = (owner as { [LISTENED]?: () => void })[LISTENED];
  if (listened !== undefined) listened.call(owner);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyListener = (...args: any[]) => unknown;

/** An object that can stand in for a listener function (scenetree's `Callable`). */
export interface CallableLike {
  /** Calls with `args`; the callable adds or drops its own bound arguments. */
  callv(args: readonly unknown[]): unknown;
  /** How many of a call's trailing arguments the callable drops (Godot's `unbind`). */
  getUnboundArgumentsCount(): number;
}

/** One connection: a listener (function or callable) on one signal of one object. */
export interface Connection {
  readonly source: object;
  readonly signal: string | symbol;
  readonly callable: AnyListener | CallableLike;
  readonly flags: number;
  /** The object the callable calls into, when it keeps track of incoming connections. */
  readonly target: object | null;
  /** Outstanding connects of a REFERENCE_COUNTED connection. */
  refCount: number;
  /** Set when the connection went away with its freed target: an emission already under way skips it. */
  targetFreed: boolean;
}

/** The connections of one signal, once it has more than a lone plain listener. */
export interface Slot {
  /**
   * In connection order; emissions iterate a copy, so changing it in place is safe. Made on first need
   * (a second connection, a lookup through `records`): until then the lone connection is `first`, as
   * most signals have one, and the array would be ~56 bytes per signal per object.
   */
  list: Connection[] | null;
  /** The signal's only connection while `list` is not made; null once it is. */
  first: Connection | null;
  /**
   * The listener itself when the slot holds exactly one plain function connected without flags, else
   * null: the per-message fast path calls it with no copy, no rest array and no flag checks.
   */
  fast: AnyListener | null;
}

/**
 * What a signal maps to: nothing, a lone plain listener stored as itself (the usual case for the
 * engine's internal wiring: no record, no array, as EventEmitter stores one listener), or a {@link Slot}.
 */
export type Entry = AnyListener | Slot;

/**
 * Every connection of one object, by signal: the one registry behind `connect`, `on`, `once` and
 * emission. Created on the first connection; most objects never get one.
 */
export class SignalTable {
  /**
   * Signal → entry: a small object while every name is a plain string (about 60 bytes where a Map's
   * smallest table is about 180, paid by every object with a connection), a Map from the first symbol or
   * array-index name on (an object would list those out of connection order).
   */
  #entries: EntryObject | Map<string | symbol, Entry> = new EntryObject();
  /**
   * The last signal looked up and its entry. A busy signal is looked up on every emission; the cache
   * saves the map lookup. Every change of an entry clears it.
   */
  hotName: string | symbol | null = null;
  hotEntry: Entry | undefined = undefined;
  /**
   * Connections of other objects whose callable targets the owner (Godot's incoming connections), in
   * the order they were made. An array: a scene root typically has a few, where a Set's smallest table
   * is ~140 bytes; each connection is added once (a reference-counted reconnect only counts up).
   */
  incoming: Connection[] | null = null;
  /** Signals added to this one object (`addUserSignal`). */
  userSignals: Map<string, SignalInfo> | null = null;

  constructor(readonly owner: object) {}

  entry(signal: string | symbol): Entry | undefined {
    if (this.hotName === signal) return this.hotEntry;
    const entry = this.#get(signal);
    this.hotName = signal;
    this.hotEntry = entry;
    return entry;
  }

  has(signal: string | symbol): boolean {
    return this.#get(signal) !== undefined;
  }

  signals(): (string | symbol)[] {
    const entries = this.#entries;
    if (entries instanceof Map) return [...entries.keys()];
    return Object.keys(entries).filter((signal) => entries[signal] !== undefined);
  }

  /** The stored connections of `signal` (a lone plain listener gets its record now, kept from then on). */
  records(signal: string | symbol): Connection[] | undefined {
    const entry = this.#get(signal);
    if (entry === undefined) return undefined;
    if (typeof entry === "function") return this.#toSlot(signal, entry).list!;
    return entry.list ?? this.#makeList(entry);
  }

  /** Every connection, signal by signal in the order the signals were first connected. */
  all(): Connection[] {
    const out: Connection[] = [];
    for (const signal of this.signals()) out.push(...this.records(signal)!);
    return out;
  }

  /** Adds a plain listener (no flags, no target): stored as itself when it is the signal's only one. */
  addListener(signal: string | symbol, listener: AnyListener, prepend: boolean): void {
    notifyListened(this.owner);
    if (this.#get(signal) === undefined) {
      this.#set(signal, listener);
      return;
    }
    this.add(plainConnection(this.owner, signal, listener), prepend);
  }

  add(connection: Connection, prepend: boolean): void {
    notifyListened(this.owner);
    const list = this.records(connection.signal);
    if (list === undefined) {
      this.#set(connection.signal, { list: null, first: connection, fast: fastOfOne(connection) });
    } else {
      if (prepend) list.unshift(connection);
      else list.push(connection);
      this.#refresh(connection.signal);
    }
    const target = connection.target as { [SIGNALS]?: SignalTable | null } | null;
    if (target !== null) {
      const table = (target[SIGNALS] ??= new SignalTable(target));
      const incoming = table.incoming;
      // Made at its size, and grown one by one: push would give a lone connection a 17-slot store.
      if (incoming === null) table.incoming = [connection];
      else if (incoming.length < 8) table.incoming = incoming.concat(connection);
      else incoming.push(connection);
    }
  }

  /** Removes `connection`; false when it was not connected. */
  remove(connection: Connection): boolean {
    const list = this.records(connection.signal);
    const index = list === undefined ? -1 : list.lastIndexOf(connection);
    if (index === -1) return false;
    list!.splice(index, 1);
    this.#refresh(connection.signal);
    const target = connection.target as { [SIGNALS]?: SignalTable | null } | null;
    if (target !== null) {
      const incoming = target[SIGNALS]?.incoming;
      const at = incoming ? incoming.lastIndexOf(connection) : -1;
      if (at !== -1) incoming!.splice(at, 1);
    }
    return true;
  }

  /** Removes the most recently added connection whose callable is `listener` (EventEmitter's `off`). */
  removeListener(signal: string | symbol, listener: unknown): void {
    const entry = this.#get(signal);
    if (entry === undefined) return;
    if (typeof entry === "function") {
      if (entry === listener) this.#set(signal, undefined);
      return;
    }
    const list = this.records(signal)!;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i].callable === listener) {
        this.remove(list[i]);
        return;
      }
    }
  }

  #toSlot(signal: string | symbol, listener: AnyListener): Slot {
    const slot: Slot = { list: [plainConnection(this.owner, signal, listener)], first: null, fast: listener };
    this.#set(signal, slot);
    return slot;
  }

  #makeList(slot: Slot): Connection[] {
    const list = [slot.first!];
    slot.list = list;
    slot.first = null;
    return list;
  }

  #refresh(signal: string | symbol): void {
    const slot = this.#get(signal) as Slot;
    const list = slot.list ?? this.#makeList(slot);
    if (list.length === 0) this.#set(signal, undefined);
    else slot.fast = list.length === 1 ? fastOfOne(list[0]) : null;
  }

  #get(signal: string | symbol): Entry | undefined {
    const entries = this.#entries;
    if (entries instanceof Map) return entries.get(signal);
    return typeof signal === "string" ? entries[signal] : undefined;
  }

  #set(signal: string | symbol, entry: Entry | undefined): void {
    let entries = this.#entries;
    if (!(entries instanceof Map) && (typeof signal !== "string" || ARRAY_INDEX.test(signal))) {
      if (entry === undefined) return; // such a name was never stored in the object
      const map = new Map<string | symbol, Entry>();
      for (const name of this.signals()) map.set(name, entries[name as string]!);
      entries = this.#entries = map;
    }
    if (entries instanceof Map) {
      if (entry === undefined) entries.delete(signal);
      else entries.set(signal, entry);
    } else {
      // A removed signal is set to undefined, not deleted: deleting would turn the object into a
      // (larger, slower) dictionary.
      entries[signal as string] = entry;
    }
    this.hotName = null;
  }
}

/** Names an object would order before the others (integer keys come first in property order). */
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * A dictionary with no prototype to fall through to ("toString" is a signal name like any other), but
 * made by a constructor, so that it stays a fast-mode object as `Object.create(null)` does not.
 */
interface EntryObject {
  [signal: string]: Entry | undefined;
}
const EntryObject = function EntryObject() {} as unknown as new () => EntryObject;
EntryObject.prototype = Object.create(null) as EntryObject;

function plainConnection(source: object, signal: string | symbol, listener: AnyListener): Connection {
  return { source, signal, callable: listener, flags: 0, target: null, refCount: 0, targetFreed: false };
}

function fastOfOne(only: Connection): AnyListener | null {
  return only.flags === 0 && typeof only.callable === "function" ? only.callable : null;
}
