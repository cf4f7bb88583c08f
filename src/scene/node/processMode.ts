/** Godot's `Node.ProcessMode`, same values. */
export enum ProcessMode {
  INHERIT = 0,
  PAUSABLE = 1,
  WHEN_PAUSED = 2,
  ALWAYS = 3,
  DISABLED = 4,
}

/** Whether a node whose effective mode is `mode` processes when the tree's pause is `paused`. */
export function modeAllows(mode: ProcessMode, paused: boolean): boolean {
  switch (mode) {
    case ProcessMode.PAUSABLE:
      return !paused;
    case ProcessMode.ALWAYS:
      return true;
    case ProcessMode.WHEN_PAUSED:
      return paused;
    default:
      return false;
  }
}
