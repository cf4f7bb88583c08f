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
    digits = digits.length === 0 ? "2" : incrementDigits(digits);
    const attempt = base + digits;
    if (!taken(attempt)) return attempt;
  }
}

/** Godot's `increase_numeric_string`: the digits plus one, digit by digit, so any length works ("099" → "100"). */
function incrementDigits(digits: string): string {
  const out = digits.split("");
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== "9") {
      out[i] = String(Number(out[i]) + 1);
      return out.join("");
    }
    out[i] = "0";
  }
  return `1${out.join("")}`;
}

/** Godot's `String.match`: `*` any run, `?` any one character, case-sensitive, whole string. */
export function matchesPattern(name: string, pattern: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return name === pattern;
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  // "u": `?` is one character as Godot counts them (a code point), an emoji included.
  return new RegExp(`^${source}$`, "su").test(name);
}
