export interface InstantiateOptions {
  /**
   * Values for `{name}` placeholders in string props, in sub-scenes and inside arrays and objects too:
   * `{ index: 3 }` turns `"ws://host/bot/{index}"` into `"ws://host/bot/3"`. Only the names given here
   * are replaced; other braces are left as they are. Node names and NodePath props are not touched.
   */
  placeholders?: Readonly<Record<string, string | number>>;
}

/** Fills placeholders into a string. */
export type PlaceholderFiller = (text: string) => string;

/** A function replacing `{name}` for every name in `placeholders`, or null when there is nothing to replace. */
export function placeholderFiller(
  placeholders: InstantiateOptions["placeholders"],
): PlaceholderFiller | null {
  const names = placeholders ? Object.keys(placeholders) : [];
  if (!placeholders || names.length === 0) return null;
  const pattern = patternFor(names);
  const replace = (_match: string, name: string): string => String(placeholders[name]);
  return (text) => (text.includes("{") ? text.replace(pattern, replace) : text);
}

/**
 * The last pattern made, with its names: every instance of a fleet passes the same names (`index`,
 * `count`, `seed`), so the pattern is built once, not per instance. A global regex is safe to share
 * here: `String.prototype.replace` starts it from 0 and leaves nothing behind.
 */
let lastNames: readonly string[] = [];
let lastPattern: RegExp | null = null;

function patternFor(names: readonly string[]): RegExp {
  if (
    lastPattern !== null &&
    names.length === lastNames.length &&
    names.every((name, i) => name === lastNames[i])
  )
    return lastPattern;
  const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  lastPattern = new RegExp(`\\{(${escaped.join("|")})\\}`, "g");
  lastNames = names;
  return lastPattern;
}

/** JSON arrays and objects are copied per instance so two instances never share one. */
export function copyValue(value: unknown): unknown {
  return value !== null && typeof value === "object" ? structuredClone(value) : value;
}

/** `copyValue` that also fills placeholders into every string, however deep. */
export function fillValue(value: unknown, fill: PlaceholderFiller): unknown {
  if (typeof value === "string") return fill(value);
  if (Array.isArray(value)) return value.map((item) => fillValue(item, fill));
  if (value !== null && typeof value === "object") {
    if (Object.getPrototypeOf(value) !== Object.prototype) return copyValue(value);
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = fillValue(item, fill);
    return copy;
  }
  return value;
}
