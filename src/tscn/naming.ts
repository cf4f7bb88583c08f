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
