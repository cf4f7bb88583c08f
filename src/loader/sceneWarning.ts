/**
 * What a format conversion (Godot `.tscn`, see src/tscn) lost, as the loader hands it to `onWarning`.
 * Defined here, below the formats, so the loader's options can name it without importing a format.
 */

/** Stable codes for something the importer converted with a loss or left out. */
export type TscnWarningCode =
  /** A Godot class scenetree has no node type for: the node became a plain `Node`. */
  | "W_UNKNOWN_TYPE"
  /** A GDScript on a node: it can't run here (mapped to a TypeScript class when one is registered). */
  | "W_SCRIPT"
  /** A property the target node type does not have, or whose value it can't take: left out. */
  | "W_PROPERTY_DROPPED"
  /** A connection whose signal or method the nodes don't have here: left out. */
  | "W_CONNECTION_DROPPED"
  /** A connection kept with a difference (unbinds, flags scenetree doesn't know). */
  | "W_CONNECTION_CHANGED"
  /** An instanced 3D model (`.glb`, `.gltf`, ...): scenetree can't read it; the node became a plain Node. */
  | "W_MODEL"
  /** A construct the JSON scene format can't express (editable children, overrides inside sub-scenes, ...). */
  | "W_UNSUPPORTED"
  /** `res://` paths resolved without a `project.godot` above the file. */
  | "W_NO_PROJECT";

/** Something converted with a loss: where it is in the `.tscn` file and what happened. */
export interface TscnWarning {
  code: TscnWarningCode;
  file: string;
  line: number;
  message: string;
}

/** Called for each thing a `.tscn` conversion lost (the scene itself, or `.tscn` sub-scenes). */
export type SceneWarningHandler = (warning: TscnWarning) => void;
