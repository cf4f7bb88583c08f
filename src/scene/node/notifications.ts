/** Godot's notification numbers (Node's `NOTIFICATION_*`), for the engine modules that send them. */
export const NOTIFICATION_PREDELETE = 1;
export const NOTIFICATION_ENTER_TREE = 10;
export const NOTIFICATION_EXIT_TREE = 11;
/** Deprecated in Godot 4 and never sent (`moveChild` sends the parent NOTIFICATION_CHILD_ORDER_CHANGED). */
export const NOTIFICATION_MOVED_IN_PARENT = 12;
export const NOTIFICATION_READY = 13;
export const NOTIFICATION_PAUSED = 14;
export const NOTIFICATION_UNPAUSED = 15;
export const NOTIFICATION_PARENTED = 18;
export const NOTIFICATION_UNPARENTED = 19;
/** Sent to a scene's root by `PackedScene.instantiate()` once the scene is built. */
export const NOTIFICATION_SCENE_INSTANTIATED = 20;
/** Sent to a renamed node and its descendants, in a tree or not. */
export const NOTIFICATION_PATH_RENAMED = 23;
export const NOTIFICATION_CHILD_ORDER_CHANGED = 24;
export const NOTIFICATION_POST_ENTER_TREE = 27;
export const NOTIFICATION_DISABLED = 28;
export const NOTIFICATION_ENABLED = 29;
/** Sent to every node, parents first, when the tree's suspend turns on / off (`SceneTree.setSuspend`). */
export const NOTIFICATION_SUSPENDED = 9003;
export const NOTIFICATION_UNSUSPENDED = 9004;
