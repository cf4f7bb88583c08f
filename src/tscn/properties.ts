import { snakeToCamel } from "./naming";

/**
 * How one Godot property becomes a scenetree prop: its name, and for enum properties the value each
 * Godot number stands for (the member name first, then the number: the first one the target type's
 * schema accepts is written).
 */
export interface PropertyRule {
  name: string;
  values?: Readonly<Record<number, string>>;
  /** Why the property is left out instead (the warning's text). */
  drop?: string;
}

/** Godot 4's `Node.ProcessMode`, our ProcessMode: the same numbers. */
const PROCESS_MODE_4: Record<number, string> = {
  0: "INHERIT",
  1: "PAUSABLE",
  2: "WHEN_PAUSED",
  3: "ALWAYS",
  4: "DISABLED",
};

/** Godot 3's `Node.PauseMode` (INHERIT, STOP, PROCESS) as our ProcessMode. */
const PAUSE_MODE_3: Record<number, string> = { 0: "INHERIT", 1: "PAUSABLE", 2: "ALWAYS" };

/** `Timer.TimerProcessMode` (Godot 3) / `Timer.TimerProcessCallback` (Godot 4): PHYSICS, IDLE. */
const TIMER_CALLBACK: Record<number, string> = { 0: "PHYSICS", 1: "IDLE" };

/** The `WebSocket` addon's `AUTOCONNECT_MODE`. */
const AUTOCONNECT_MODE: Record<number, string> = {
  0: "NONE",
  1: "SELF_READY",
  2: "PARENT_READY",
  3: "OWNER_READY",
  4: "ROOT_READY",
  5: "CUSTOM",
};

/** Every node, by Godot format (2 = Godot 3, 3 = Godot 4). */
const NODE_RULES: Record<number, Record<string, PropertyRule>> = {
  2: {
    pause_mode: { name: "processMode", values: PAUSE_MODE_3 },
    process_priority: { name: "processPriority" },
  },
  3: {
    process_mode: { name: "processMode", values: PROCESS_MODE_4 },
    process_priority: { name: "processPriority" },
    process_physics_priority: { name: "processPhysicsPriority" },
  },
};

/** By the node's Godot class (its `type=`). */
const GODOT_CLASS_RULES: Record<string, Record<number, Record<string, PropertyRule>>> = {
  Timer: {
    2: {
      // Godot 3's Timer.process_mode is what Godot 4 calls process_callback, not the node's process mode.
      process_mode: { name: "processCallback", values: TIMER_CALLBACK },
    },
    3: { process_callback: { name: "processCallback", values: TIMER_CALLBACK } },
  },
};

/**
 * Godot 4's WebSocketPeer / WebSocketMultiplayerPeer settings whose scenetree name is not their
 * camelCase (the rest, `inbound_buffer_size`, `handshake_timeout`, ..., are). `handshake_headers` is
 * not here: Godot's is a list of "Name: value" lines, scenetree's `headers` an object.
 */
const WEBSOCKET_PEER_RULES: Record<string, PropertyRule> = {
  supported_protocols: { name: "protocols" },
};

/** By the scenetree type the node becomes (the seed addons' scripts map onto these). */
const TARGET_TYPE_RULES: Record<string, Record<string, PropertyRule>> = {
  WebSocketServer: WEBSOCKET_PEER_RULES,
  WebsocketClient: {
    ...WEBSOCKET_PEER_RULES,
    connection_url: { name: "connectionUrl" },
    auto_reconnect: { name: "autoReconnect" },
  },
  WebSocketNode: {
    ...WEBSOCKET_PEER_RULES,
    receive_limit: { name: "receiveLimit" },
    connection_timeout: { name: "connectionTimeout" },
    host: { name: "host" },
    route: { name: "route" },
    use_WSS: { name: "useWss" },
    autoconnect_mode: { name: "autoconnectMode", values: AUTOCONNECT_MODE },
    autoconnect_reference: { name: "autoconnectReference" },
  },
};

/** Godot 3's `process_mode` on anything but a Timer means that class's own thing (AnimationPlayer, ...). */
const GODOT3_PROCESS_MODE: PropertyRule = {
  name: "processMode",
  drop: "in Godot 3 this is the class's own process_mode (not the node's; that is pause_mode)",
};

/**
 * The rule for property `key` of a node of Godot class `godotClass` that becomes a `targetType`. A node
 * with no `type=` of its own (an instance, or a change to a node inside one: `godotClass` "") is of its
 * sub-scene node's class, which the scenetree type it becomes names (a Timer stays a Timer).
 */
export function propertyRule(
  key: string,
  format: number,
  godotClass: string,
  targetType: string,
): PropertyRule {
  const version = format >= 3 ? 3 : 2;
  const rule =
    TARGET_TYPE_RULES[targetType]?.[key] ??
    GODOT_CLASS_RULES[godotClass || targetType]?.[version]?.[key] ??
    NODE_RULES[version][key];
  if (rule) return rule;
  if (version === 2 && key === "process_mode") return GODOT3_PROCESS_MODE;
  return { name: snakeToCamel(key) };
}

/** The property lines that are the editor's own bookkeeping, not the node's state. */
export function isEditorOnly(key: string): boolean {
  return (
    key === "__meta__" ||
    key === "editor_description" ||
    key === "_import_path" ||
    key.startsWith("metadata/_edit") ||
    key === "metadata/_editor_description_"
  );
}

/**
 * A key of Godot 3's `__meta__` dictionary that is the editor's own (`_edit_lock_`, `_edit_group_`,
 * `_editor_description_`...), not metadata the user set with `set_meta`.
 */
export function isGodot3EditorMeta(key: string): boolean {
  return key.startsWith("_edit");
}
