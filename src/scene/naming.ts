/**
 * Godot's rules for node names: characters a name may not contain, and how a clashing child name is made
 * unique (`Node::_validate_child_name` / `_generate_serial_child_name`).
 */

const INVALID_NAME_CHARACTERS = /[.:@/"%]/g;

/** Godot replaces characters that would break paths. */
export function validateNodeName(name: string): string {
  return name.replace(INVALID_NAME_CHARACTERS, "_");
}

/**
 * The fast, default scheme: `@Class@N`, where N is the parent's own serial (names starting with @ are
 * reserved, so no user name can clash; the caller skips a serial a moved-in child already holds).
 */
export function fastUniqueName(className: string, serial: number): string {
  // Joined rather than concatenated: `+` and templates build a rope of three cons strings (~120 B,
  // kept as long as the node), join one flat string (~40 B).
  return ["@", className, "@", serial].join("");
}

/**
 * The readable scheme (renames and `addChild(child, true)`): strip a trailing number, then try
 * `Name`, `Name2`, `Name3`... keeping zero padding (`A01` → `A02`).
 */
export function readableUniqueName(proposed: string, taken: (name: string) => boolean): string {
  if (!taken(proposed)) return proposed;
  const match = /^(.*?)(\d+)$/.exec(proposed);
  let base = proposed;
  let digits = "";
  if (match) {
    base = match[1];
    digits = match[2];
  }
  for (;;) {
    digits = digits.length === 0 ? "2" : String(Number(digits) + 1).padStart(digits.length, "0");
    const attempt = base + digits;
    if (!taken(attempt)) return attempt;
  }
}

/** Godot's `String.match`: `*` any run, `?` any one character, case-sensitive, whole string. */
export function matchesPattern(name: string, pattern: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return name === pattern;
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`, "s").test(name);
}
