/**
 * Signal declarations: one value per class gives both the run-time list of its signals and, through
 * {@link SignalsOf}, their types.
 *
 * ```ts
 * const shipSignals = Node.signals.extend({ hit: signal<[damage: number, by: string]>("damage", "by") });
 * class Ship extends Node<SignalsOf<typeof shipSignals>> {
 *   static override readonly signals = shipSignals;
 * }
 * ```
 */

import { SceneTreeError } from "../errors";

/** One declared signal: its argument names (for `getSignalList`) and, as a type only, its arguments. */
export interface SignalSpec<A extends unknown[] = unknown[]> {
  readonly args: readonly string[];
  /** Type only; never set. */
  readonly argumentTypes?: A;
}

/** What `getSignalList()` lists for each signal (Godot's MethodInfo, reduced to what we know). */
export interface SignalInfo {
  readonly name: string;
  readonly args: ReadonlyArray<{ readonly name: string }>;
}

/** Declares one signal; `A` types its arguments, `argNames` names them for `getSignalList()`. */
export function signal<A extends unknown[] = []>(...argNames: string[]): SignalSpec<A> {
  return { args: argNames };
}

/** The listener types of a declaration object (`{ hit: signal<[number]>() }` → `{ hit: (a: number) => void }`). */
export type SignalMap<D> = {
  [K in keyof D]: D[K] extends SignalSpec<infer A> ? (...args: A) => void : never;
};

type Flat<T> = { [K in keyof T]: T[K] } & {};

/** The signal map (signal name → listener type) declared by a {@link SignalSet}. */
export type SignalsOf<T> = T extends SignalSet<infer M> ? M : never;

/** The signal map of a class that declares no signals. */
export type NoSignals = Record<never, never>;

const SIGNAL_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The signals of a class: its own declarations on top of its parent class's set. */
export class SignalSet<M extends object = object> {
  /** Type only: the signal map (signal name → listener type). */
  declare readonly map: M;
  readonly #own: readonly SignalInfo[];
  readonly #parent: SignalSet | null;
  readonly #names: ReadonlySet<string>;

  private constructor(parent: SignalSet | null, own: readonly SignalInfo[]) {
    this.#parent = parent;
    this.#own = own;
    const names = new Set(parent ? parent.#names : []);
    for (const info of own) names.add(info.name);
    this.#names = names;
  }

  /** A set with no signals (Godot's `Object` declares none we keep). */
  static empty(): SignalSet<NoSignals> {
    return new SignalSet<NoSignals>(null, []);
  }

  /** This set plus `declarations`; a name the set already has may not be declared again. */
  extend<D extends Record<string, { readonly args: readonly string[] }>>(
    declarations: D,
  ): SignalSet<Flat<M & SignalMap<D>>> {
    const own: SignalInfo[] = [];
    for (const [name, spec] of Object.entries(declarations)) {
      if (!SIGNAL_NAME.test(name))
        throw new SceneTreeError("ERR_INVALID_ARGUMENT", `"${name}" is not a valid signal name.`);
      if (this.#names.has(name))
        throw new SceneTreeError(
          "ERR_SIGNAL_EXISTS",
          `Signal "${name}" is already declared by a parent class.`,
        );
      own.push({ name, args: spec.args.map((arg) => ({ name: arg })) });
    }
    return new SignalSet(this, own);
  }

  has(name: string): boolean {
    return this.#names.has(name);
  }

  /** Every signal: the latest declarations first, then the parent's, as Godot's ClassDB lists them. */
  list(): SignalInfo[] {
    const out: SignalInfo[] = [];
    for (let set: SignalSet | null = this; set; set = set.#parent) out.push(...set.#own);
    return out;
  }

  names(): string[] {
    return this.list().map((info) => info.name);
  }
}

/** The signals a class has at run time: its `static signals` chain, plus any added by registration. */
export interface ClassSignals {
  readonly names: ReadonlySet<string>;
  readonly list: readonly SignalInfo[];
}

const added = new WeakMap<object, SignalInfo[]>();
const resolved = new WeakMap<object, { version: number; signals: ClassSignals }>();
let version = 0;

/** What instances of `ctor` may connect to and emit. Cached; registration invalidates the cache. */
export function classSignals(ctor: object): ClassSignals {
  const cached = resolved.get(ctor);
  if (cached?.version === version) return cached.signals;
  const names = new Set<string>();
  const list: SignalInfo[] = [];
  const take = (infos: readonly SignalInfo[]): void => {
    for (const info of infos) {
      if (names.has(info.name)) continue;
      names.add(info.name);
      list.push(info);
    }
  };
  for (
    let c: unknown = ctor;
    typeof c === "function" && c !== Function.prototype;
    c = Object.getPrototypeOf(c)
  ) {
    const own = Object.getOwnPropertyDescriptor(c, "signals")?.value;
    if (own instanceof SignalSet) take(own.list());
    take(added.get(c) ?? []);
  }
  const signals: ClassSignals = { names, list };
  resolved.set(ctor, { version, signals });
  return signals;
}

/**
 * Adds signals to a class at run time, without types: how `registerNodeType(..., { signals })` keeps
 * working for classes that do not declare theirs. Subclasses have them too.
 */
export function addClassSignals(ctor: object, signalNames: readonly string[]): void {
  const list = added.get(ctor) ?? [];
  for (const name of signalNames) {
    if (!SIGNAL_NAME.test(name))
      throw new SceneTreeError("ERR_INVALID_ARGUMENT", `"${name}" is not a valid signal name.`);
    if (!list.some((info) => info.name === name)) list.push({ name, args: [] });
  }
  added.set(ctor, list);
  version++;
}
