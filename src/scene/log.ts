/**
 * Structured logs (pino). A tree has one logger (`tree.log`: `SceneTreeOptions.logger`, or the process
 * default below); every node logs through a child of it carrying `{ node: <path>, instance: <index> }`.
 *
 * pino itself is loaded on first use, so a program that never logs does not pay for requiring it.
 */
import type { Logger } from "pino";
import { nodeData as dataOf, type NodeLike as Node } from "./node/data";
import type { TreeInstance } from "./instance";

// Read once: under tsx an imported binding costs a getter call per use.
const nodeData = dataOf;

export type { Logger };

type Pino = typeof import("pino");

let pinoModule: Pino | null = null;
let processDefault: Logger | null = null;
let silent: Logger | null = null;

/** pino's level names and values: a level is enabled when its value is at least the logger's. */
export type LogLevelName = "trace" | "debug" | "info" | "warn" | "error" | "fatal";
const LEVEL_VALUES: Readonly<Record<LogLevelName | "silent", number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

/** How the process default is made, and the level it will have: known before it is made. */
let defaultLevel: LogLevelName | "silent" = "warn";
let makeDefault: (() => Logger) | null = null;

function loadPino(): Pino {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, see the top of the file
  return (pinoModule ??= require("pino") as Pino);
}

/**
 * `tree.log` of a tree given no logger: one logger per process, `warn` and above as JSON lines on
 * stderr. scenetree itself logs at info and below only, so a library user sees nothing unless their
 * own code logs a warning or an error.
 */
export function defaultLogger(): Logger {
  if (processDefault === null) {
    if (makeDefault !== null) processDefault = makeDefault();
    else {
      const pino = loadPino();
      processDefault = pino({ level: "warn" }, pino.destination({ fd: 2, sync: true }));
    }
  }
  return processDefault;
}

/**
 * Makes the process default (the logger of every tree given none) `make()`, at `level`: what a fleet
 * worker does with `--log-level` / `--log-format`. Made on first use, like the built-in one, so a
 * worker whose trees log nothing at an enabled level never loads pino.
 */
export function setDefaultLogger(level: LogLevelName | "silent", make: () => Logger): void {
  defaultLevel = level;
  makeDefault = make;
  processDefault = null;
}

/**
 * Whether the process default logs at `level`, without making it: until it is made its level is the
 * one it will be made with; afterwards the logger's own (which code may have changed).
 */
export function defaultLogsAt(level: LogLevelName): boolean {
  if (processDefault !== null) return processDefault.isLevelEnabled(level);
  return LEVEL_VALUES[level] >= LEVEL_VALUES[defaultLevel];
}

/** A tree's `[LOGS_AT](level)`: whether its logger logs at `level`, without loading pino to find out. */
export const LOGS_AT: unique symbol = Symbol("scenetree.logsAt");

/** A logger that drops everything: what a node that was never inside a tree logs through. */
export function silentLogger(): Logger {
  if (silent === null) silent = loadPino()({ level: "silent" }, { write: () => {} });
  return silent;
}

/**
 * A tree's count of events that may change a node's path (a rename, a removal: a move is a removal
 * then an addition). While it holds, every cached binding made or checked in that tree still holds.
 */
export const PATHS_EPOCH: unique symbol = Symbol("scenetree.pathsEpoch");

/** What a node's logger needs of its tree (a SceneTree). */
interface LogTree {
  readonly log: Logger;
  readonly instance: TreeInstance;
  readonly [PATHS_EPOCH]: number;
}

/** The child logger of a node and the path it was made for. */
interface NodeLog {
  readonly logger: Logger;
  readonly tree: LogTree;
  /** The tree's PATHS_EPOCH when the path was last known to hold. */
  epoch: number;
  /** The node, its parent, … up to the tree's root: the ancestry the `node` binding spells. */
  readonly chain: readonly Node[];
  readonly names: readonly string[];
}

/** Kept outside the node, so a node that never logs carries nothing for it. */
const nodeLogs = new WeakMap<Node, NodeLog>();

/**
 * `node.log`: a child of the tree's logger with the node's path (and the tree's instance index, in a
 * fleet). Made on first use and kept; a rename or a move anywhere up the ancestry makes a new one on
 * the next read. Reading it allocates nothing while the path holds: one counter comparison, and after
 * a rename or removal somewhere in the tree a walk up the ancestry comparing references and names.
 *
 * Outside a tree a node keeps the last logger it used inside one (what it logs just after being
 * removed, such as refused sends, still reaches that tree's logger, with its last path); a node that
 * never used `node.log` inside a tree logs through a silent logger.
 */
export function nodeLogger(node: Node): Logger {
  const known = nodeLogs.get(node);
  const host = nodeData(node).tree;
  if (host === null) return known?.logger ?? silentLogger();
  const tree = host.tree as LogTree;
  if (known !== undefined && known.tree === tree) {
    const epoch = tree[PATHS_EPOCH];
    if (known.epoch === epoch) return known.logger;
    if (samePath(node, known)) {
      known.epoch = epoch;
      return known.logger;
    }
  }
  return bind(node, tree);
}

function samePath(node: Node, known: NodeLog): boolean {
  const { chain, names } = known;
  let current: Node | null = node;
  for (let i = 0; i < chain.length; i++) {
    if (current !== chain[i] || nodeData(current).name !== names[i]) return false;
    current = nodeData(current).parent;
  }
  return current === null;
}

function bind(node: Node, tree: LogTree): Logger {
  const chain: Node[] = [];
  const names: string[] = [];
  for (let current: Node | null = node; current !== null; current = nodeData(current).parent) {
    chain.push(current);
    names.push(nodeData(current).name);
  }
  const path = "/" + [...names].reverse().join("/");
  const index = instanceIndex(tree);
  const logger = tree.log.child(index === undefined ? { node: path } : { node: path, instance: index });
  nodeLogs.set(node, { logger, tree, epoch: tree[PATHS_EPOCH], chain, names });
  return logger;
}

/** Whether a tree of a count of 1 binds its index too (see {@link logEveryInstanceIndex}). */
let everyIndex = false;

/**
 * Every tree's `node.log` carries `tree.instance.index`, also when the count is 1: what a fleet worker
 * says, since `--instances 1` is a fleet too and its lines must read as a fleet's (`[0] `).
 */
export function logEveryInstanceIndex(always: boolean): void {
  everyIndex = always;
}

/** `tree.instance.index` when the tree is one instance of a fleet (a lone tree's lines carry no index). */
function instanceIndex(tree: LogTree): number | undefined {
  return everyIndex || tree.instance.count > 1 ? tree.instance.index : undefined;
}
