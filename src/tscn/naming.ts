/**
 * Godot's snake_case names to scenetree's camelCase: `wait_time` → `waitTime`, `tree_entered` →
 * `treeEntered`, `_on_Timer_timeout` → `_onTimerTimeout` (leading underscores and capitals inside a word
 * are kept, as Godot's virtuals `_ready` / `_process` keep theirs here).
 */
export function snakeToCamel(name: string): string {
  const leading = /^_*/.exec(name)![0];
  const words = name
    .slice(leading.length)
    .split("_")
    .filter((word) => word.length > 0);
  if (words.length === 0) return name;
  return (
    leading +
    words[0] +
    words
      .slice(1)
      .map((word) => word[0].toUpperCase() + word.slice(1))
      .join("")
  );
}

/** A GDScript file name as a class name: `websocket_client.gd` → `WebsocketClient`. */
export function fileNameToPascal(fileName: string): string {
  const base = fileName.replace(/\.[^.]*$/, "");
  return base
    .split(/[_\-\s.]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join("");
}

/**
 * Signals whose scenetree name is not their camelCase, by the scenetree type the node becomes: Godot's
 * websocket_chat demo (networking/websocket_chat, `class_name WebSocketServer`) emits
 * `client_connected(peer_id)` and `client_disconnected(peer_id)` where scenetree's server emits
 * `peerConnected(id)` and `peerDisconnected(id, code, reason)`, the same peer id first.
 */
const SIGNAL_RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  WebSocketServer: { client_connected: "peerConnected", client_disconnected: "peerDisconnected" },
};

/** The scenetree name of Godot signal `signal` on a node that became `type`. */
export function signalName(signal: string, type: string): string {
  return SIGNAL_RENAMES[type]?.[signal] ?? snakeToCamel(signal);
}
