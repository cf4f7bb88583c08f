/**
 * Key of a SceneTree's unscaled idle delta for the frame being run (Godot's `Engine.get_process_step()`),
 * which timers and tweens that ignore `timeScale` count down instead of the scaled delta.
 */
export const PROCESS_STEP: unique symbol = Symbol("processStep");
