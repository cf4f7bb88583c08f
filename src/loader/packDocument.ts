import { ConnectFlags } from "../scene/GodotObject";
import type { SCENE_FORMAT_VERSION } from "./format";

/**
 * The JSON document `PackedScene.pack` writes: scenetree's scene format, with keys in the order the
 * README's examples use, so a saved scene reads like a hand-written one.
 */

/** A node of a scene file as `pack` writes it (keys in the order the README's examples use). */
export interface NodeEntry {
  name: string;
  type?: string;
  instance?: string;
  placeholder?: boolean;
  props?: Record<string, unknown>;
  groups?: string[];
  uniqueNameInOwner?: boolean;
  editable?: Record<string, EditableEntry>;
  children?: NodeEntry[];
}

/** A change to a node inside an instance: `"editable": { "Body/Gun": { ... } }`. */
export interface EditableEntry {
  props?: Record<string, unknown>;
  groups?: string[];
  children?: NodeEntry[];
}

export interface ConnectionEntry {
  from: string;
  signal: string;
  to: string;
  method: string;
  binds?: unknown[];
  flags?: string[] | number;
}

export interface SceneDocument {
  format: typeof SCENE_FORMAT_VERSION;
  scripts?: string[];
  thresholds?: Record<string, string[]>;
  root: NodeEntry;
  connections?: ConnectionEntry[];
}

const FLAG_NAMES = Object.entries(ConnectFlags).filter(
  (entry): entry is [string, number] => typeof entry[1] === "number",
);

/** `flags` as member names (`["DEFERRED", "ONE_SHOT"]`); a number when a bit has no name; null for 0. */
export function flagList(flags: number): string[] | number | null {
  if (flags === 0) return null;
  const names: string[] = [];
  let rest = flags;
  for (const [name, bit] of FLAG_NAMES) {
    if (flags & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  return rest === 0 ? names : flags;
}

const ENTRY_KEYS = [
  "name",
  "type",
  "instance",
  "placeholder",
  "props",
  "groups",
  "uniqueNameInOwner",
  "editable",
  "children",
];

/** The entry with its keys in the README's order (editable entries and children too). */
export function canonicalEntry(entry: NodeEntry): NodeEntry {
  const source = entry as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of ENTRY_KEYS) {
    if (source[key] === undefined) continue;
    if (key === "children") out.children = entry.children!.map(canonicalEntry);
    else if (key === "editable") {
      out.editable = Object.fromEntries(
        Object.entries(entry.editable!).map(([at, change]) => [
          at,
          {
            ...(change.props && { props: change.props }),
            ...(change.groups && { groups: change.groups }),
            ...(change.children && { children: change.children.map(canonicalEntry) }),
          },
        ]),
      );
    } else out[key] = source[key];
  }
  return out as unknown as NodeEntry;
}
