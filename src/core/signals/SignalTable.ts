import type { SignalInfo } from "./SignalSet";

/** Where an emitter keeps its {@link SignalTable} (null until its first connection). */
export const SIGNALS: unique symbol = Symbol("scenetree.signals");

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyListener = (...args: any[]) => unknown;

/** An object that can stand in for a listener function (scenetree's `Callable`). */
export interface CallableLike {
  /** Calls with `args`; the callable adds or drops its own bound arguments. */
  callv(args: readonly unknown[]): unknown;
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

/** The connections of one signal. */
export interface Slot {
  /** In connection order. Emissions iterate a copy, so changing it in place is safe. */
  readonly list: Connection[];
  /**
   * The listener itself when the slot holds exactly one plain function connected without flags, else
   * null: the per-message fast path calls it with no copy, no rest array and no flag checks.
   */
  fast: AnyListener | null;
}

/**
 * Every connection of one object, by signal: the one registry behind `connect`, `on`, `once` and
 * emission. Created on the first connection; most objects never get one.
 */
export class SignalTable {
  readonly slots = new Map<string | symbol, Slot>();
  /**
   * The last signal looked up and its slot. A busy signal is looked up on every emission; the cache
   * saves the map lookup. It stays right while the slot object lives; creating or deleting a slot
   * clears it.
   */
  hotName: string | symbol | null = null;
  hotSlot: Slot | undefined = undefined;
  /** Connections of other objects whose callable targets the owner (Godot's incoming connections). */
  incoming: Set<Connection> | null = null;
  /** Signals added to this one object (`addUserSignal`). */
  userSignals: Map<string, SignalInfo> | null = null;

  slot(signal: string | symbol): Slot | undefined {
    if (this.hotName === signal) return this.hotSlot;
    const slot = this.slots.get(signal);
    this.hotName = signal;
    this.hotSlot = slot;
    return slot;
  }

  add(connection: Connection, prepend: boolean): void {
    let slot = this.slots.get(connection.signal);
    if (slot === undefined) {
      slot = { list: [], fast: null };
      this.slots.set(connection.signal, slot);
      this.hotName = null;
    }
    if (prepend) slot.list.unshift(connection);
    else slot.list.push(connection);
    refreshFast(slot);
    const target = connection.target as { [key: symbol]: SignalTable | null } | null;
    if (target !== null) {
      const table = (target[SIGNALS] ??= new SignalTable());
      (table.incoming ??= new Set()).add(connection);
    }
  }

  /** Removes `connection`; false when it was not connected. */
  remove(connection: Connection): boolean {
    const slot = this.slots.get(connection.signal);
    if (slot === undefined) return false;
    const index = slot.list.lastIndexOf(connection);
    if (index === -1) return false;
    slot.list.splice(index, 1);
    if (slot.list.length === 0) {
      this.slots.delete(connection.signal);
      this.hotName = null;
    } else {
      refreshFast(slot);
    }
    const target = connection.target as { [key: symbol]: SignalTable | null } | null;
    if (target !== null) target[SIGNALS]?.incoming?.delete(connection);
    return true;
  }

  /** Every connection, signal by signal in the order the signals were first connected. */
  all(): Connection[] {
    const out: Connection[] = [];
    for (const slot of this.slots.values()) out.push(...slot.list);
    return out;
  }
}

function refreshFast(slot: Slot): void {
  const only = slot.list.length === 1 ? slot.list[0] : undefined;
  slot.fast =
    only !== undefined && only.flags === 0 && typeof only.callable === "function" ? only.callable : null;
}
