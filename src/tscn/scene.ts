/**
 * The JSON scene the importer writes: scenetree's scene file format 1 (see src/loader/format.ts),
 * typed for the importer's own use.
 */
export interface JsonSceneNode {
  name?: string;
  type?: string;
  instance?: string;
  props?: Record<string, unknown>;
  groups?: string[];
  uniqueNameInOwner?: boolean;
  /** The Godot script the node had, kept for reference (scenetree cannot run GDScript). */
  script?: string;
  children?: JsonSceneNode[];
  /** On an instance: changes to nodes inside it, by path from its root (Godot's editable children). */
  editable?: Record<string, JsonSceneEdit>;
  /** On an instance: load as placeholder (an InstancePlaceholder until createInstance()). */
  placeholder?: boolean;
}

/** What an `editable` entry changes on one node inside an instance. */
export interface JsonSceneEdit {
  props?: Record<string, unknown>;
  groups?: string[];
  children?: JsonSceneNode[];
}

export interface JsonSceneConnection {
  from: string;
  signal: string;
  to: string;
  method: string;
  binds?: unknown[];
  flags?: string[];
}

export interface JsonScene {
  format: 1;
  root: JsonSceneNode;
  connections?: JsonSceneConnection[];
}

/** A node's GDScript, which can't run here: where it was and what it became. */
export interface GdScriptUse {
  /** The `.tscn` file and line of the `script = ...` property. */
  file: string;
  line: number;
  /** The node's path relative to its scene root ("." for the root). */
  node: string;
  /** The script as the scene names it (`res://bot.gd`). */
  script: string;
  /** Its `class_name`, when the file could be read and declares one. */
  className: string | null;
  /** The registered scenetree type the node became because of the script, or null (then it warned). */
  type: string | null;
}

/** A sub-scene converted along the way (written beside its `.tscn` in `instances: "json"` mode). */
export interface ConvertedSubScene {
  /** The sub-scene's `.tscn` (absolute). */
  source: string;
  /** Where its JSON belongs: `<name>.scene.json` beside the `.tscn` (absolute). */
  file: string;
  scene: JsonScene;
}
