/** Godot's `Object.ConnectFlags`, same values. */
export enum ConnectFlags {
  /** The call waits for the tree's next deferred flush. */
  DEFERRED = 1,
  /** Saved with the scene (scene-file connections carry it). */
  PERSIST = 2,
  /** Disconnected before its first call. */
  ONE_SHOT = 4,
  /** Connecting the same callable again counts up instead of failing; each disconnect counts down. */
  REFERENCE_COUNTED = 8,
  /** The emitting object is passed after the signal's own arguments (before any bound ones). */
  APPEND_SOURCE_OBJECT = 16,
}
