/** Widest line an array of plain values is kept on, as prettier keeps `"groups": ["bots"]` on one line. */
const LINE_WIDTH = 100;

/**
 * A scene file's JSON text as the README writes scenes: 2-space indentation, objects one key a line,
 * arrays of plain values (`["bots"]`, `[1, "x"]`) on one line when it fits, and a final newline.
 * Recursive, like JSON.stringify: a scene is no deeper than the loader's `maxDepth` lets it be.
 */
export function formatSceneJson(value: unknown): string {
  return write(value, "") + "\n";
}

function write(value: unknown, indent: string): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((item) => item === null || typeof item !== "object")) {
      const line = `[${value.map((item) => JSON.stringify(item) ?? "null").join(", ")}]`;
      if (indent.length + line.length <= LINE_WIDTH) return line;
    }
    return `[\n${value.map((item) => inner + write(item, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  if (entries.length === 0) return "{}";
  const lines = entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${write(item, inner)}`);
  return `{\n${lines.join(",\n")}\n${indent}}`;
}
