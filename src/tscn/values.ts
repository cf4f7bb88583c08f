import type { Lexer, Token } from "./lexer";

/**
 * A value as written in a `.tscn` file, before it becomes JSON. Constructors such as `Vector2(1, 2)`,
 * `Color(...)`, `PackedStringArray(...)` stay calls here; {@link toJson} gives them their JSON shape.
 */
export type TscnValue =
  | null
  | boolean
  | number
  | string
  | { kind: "stringName"; value: string }
  | { kind: "nodePath"; path: string }
  | { kind: "array"; items: TscnValue[]; elementType: string | null }
  | { kind: "dictionary"; entries: Array<[TscnValue, TscnValue]>; typeArgs: string | null }
  | { kind: "call"; name: string; args: TscnValue[] }
  | { kind: "object"; className: string; entries: Array<[string, TscnValue]> }
  | { kind: "extResource"; id: string }
  | { kind: "subResource"; id: string }
  /** An integer a double can't hold exactly (past ±2^53): its digits as written. */
  | { kind: "bigInteger"; text: string };

const KEYWORDS: Record<string, TscnValue> = {
  true: true,
  false: false,
  null: null,
  nil: null,
  inf: Infinity,
  "-inf": -Infinity,
  inf_neg: -Infinity,
  nan: NaN,
};

/**
 * Parses one value at the lexer's position (Godot's VariantParser::parse_value): literals, arrays and
 * dictionaries (which may span lines), and constructor calls, including Godot 3's spaced forms
 * (`ExtResource( 1 )`) and Godot 4's typed containers (`Array[int]([1, 2])`).
 */
export function parseValue(lexer: Lexer): TscnValue {
  const token = lexer.next();
  switch (token.kind) {
    case "number":
      return isInexactInteger(token.text, token.value)
        ? { kind: "bigInteger", text: token.text }
        : token.value;
    case "string":
      return token.text;
    case "stringName":
      return { kind: "stringName", value: token.text };
    case "punct":
      if (token.text === "[")
        return nested(lexer, token, () => ({
          kind: "array",
          items: parseList(lexer, "]"),
          elementType: null,
        }));
      if (token.text === "{") return nested(lexer, token, () => parseDictionary(lexer, null));
      break;
    case "ident":
      return nested(lexer, token, () => parseIdentValue(lexer, token));
    case "eof":
      break;
  }
  throw lexer.error(`Expected a value, found ${lexer.describe(token)}.`, token.line, token.column);
}

/**
 * Deepest nesting of arrays, dictionaries and constructors in one value. Godot writes a handful of
 * levels; the limit keeps the parser (and every step after it) off the end of the stack, and leaves
 * the JSON it becomes inside the loader's own nesting limit.
 */
export const MAX_VALUE_NESTING = 128;

/** Parses one level of nesting; past {@link MAX_VALUE_NESTING} it is a syntax error at `token`. */
function nested<T>(lexer: Lexer, token: Token, parse: () => T): T {
  if (lexer.valueDepth >= MAX_VALUE_NESTING)
    throw lexer.error(
      `Values are nested deeper than ${MAX_VALUE_NESTING} levels here.`,
      token.line,
      token.column,
    );
  lexer.valueDepth++;
  const value = parse();
  lexer.valueDepth--;
  return value;
}

/**
 * Whether the number as written is an integer that `Number` rounds (Godot's int is 64-bit, a JSON
 * number here a double: 9007199254740993 would become ...992).
 */
function isInexactInteger(text: string, value: number): boolean {
  if (!/^-?\d+$/.test(text) || Number.isSafeInteger(value)) return false;
  return BigInt(text) !== BigInt(value);
}

function parseIdentValue(lexer: Lexer, token: Token): TscnValue {
  const name = token.text;
  const next = lexer.peek();
  const isPunct = (c: string) => next.kind === "punct" && next.text === c;
  // Only Array and Dictionary take type arguments; after `true` a "[" is the next section's.
  const typed = (name === "Array" || name === "Dictionary") && isPunct("[");
  if (!isPunct("(") && !typed) {
    if (Object.hasOwn(KEYWORDS, name)) return KEYWORDS[name];
    throw lexer.error(`Unknown identifier ${lexer.show(name)}.`, token.line, token.column);
  }
  if (typed) {
    // Typed containers: Array[int]([...]), Dictionary[String, int]({...})
    lexer.next();
    const typeArgs = readTypeArgs(lexer);
    lexer.expect("(", `"(" after ${name}[...]`);
    if (name === "Array") {
      lexer.expect("[", "an array");
      const items = parseList(lexer, "]");
      lexer.expect(")");
      return { kind: "array", items, elementType: typeArgs };
    }
    if (name === "Dictionary") {
      lexer.expect("{", "a dictionary");
      const value = parseDictionary(lexer, typeArgs);
      lexer.expect(")");
      return value;
    }
    throw lexer.error(`"${name}[...]" is not a typed container Godot writes.`, token.line, token.column);
  }
  lexer.next(); // "("
  if (name === "Object") return parseObject(lexer);
  const args = parseList(lexer, ")");
  switch (name) {
    case "NodePath":
      return { kind: "nodePath", path: singleString(lexer, token, args) };
    case "StringName":
      return { kind: "stringName", value: singleString(lexer, token, args) };
    case "ExtResource":
    case "SubResource": {
      const id = args.length === 1 ? resourceId(args[0]) : null;
      if (id === null) throw lexer.error(`${name}(...) takes one id.`, token.line, token.column);
      return { kind: name === "ExtResource" ? "extResource" : "subResource", id };
    }
    case "Array":
      return { kind: "array", items: args, elementType: null };
    default:
      return { kind: "call", name, args };
  }
}

/** A resource id: a string (Godot 4) or a number (Godot 3), else null. */
function resourceId(arg: TscnValue): string | null {
  if (typeof arg === "string" || typeof arg === "number") return String(arg);
  if (arg !== null && typeof arg === "object" && arg.kind === "bigInteger") return arg.text;
  return null;
}

function singleString(lexer: Lexer, token: Token, args: TscnValue[]): string {
  if (args.length !== 1 || typeof args[0] !== "string")
    throw lexer.error(`${token.text}(...) takes one string.`, token.line, token.column);
  return args[0];
}

/** Values separated by commas up to `close` (a trailing comma is allowed). */
function parseList(lexer: Lexer, close: string): TscnValue[] {
  const items: TscnValue[] = [];
  for (;;) {
    const next = lexer.peek();
    if (next.kind === "punct" && next.text === close) {
      lexer.next();
      return items;
    }
    items.push(parseValue(lexer));
    const after = lexer.next();
    if (after.kind === "punct" && after.text === close) return items;
    if (after.kind !== "punct" || after.text !== ",")
      throw lexer.error(
        `Expected "," or "${close}", found ${lexer.describe(after)}.`,
        after.line,
        after.column,
      );
  }
}

function parseDictionary(lexer: Lexer, typeArgs: string | null): TscnValue {
  const entries: Array<[TscnValue, TscnValue]> = [];
  for (;;) {
    const next = lexer.peek();
    if (next.kind === "punct" && next.text === "}") {
      lexer.next();
      return { kind: "dictionary", entries, typeArgs };
    }
    const key = parseValue(lexer);
    lexer.expect(":", '":" after a dictionary key');
    entries.push([key, parseValue(lexer)]);
    const after = lexer.next();
    if (after.kind === "punct" && after.text === "}") return { kind: "dictionary", entries, typeArgs };
    if (after.kind !== "punct" || after.text !== ",")
      throw lexer.error(`Expected "," or "}", found ${lexer.describe(after)}.`, after.line, after.column);
  }
}

/** Godot 4's `Object(Class, "prop": value, ...)`. */
function parseObject(lexer: Lexer): TscnValue {
  const classToken = lexer.next();
  if (classToken.kind !== "ident")
    throw lexer.error(
      `Expected a class name in Object(...), found ${lexer.describe(classToken)}.`,
      classToken.line,
      classToken.column,
    );
  const entries: Array<[string, TscnValue]> = [];
  for (;;) {
    const after = lexer.next();
    if (after.kind === "punct" && after.text === ")")
      return { kind: "object", className: classToken.text, entries };
    if (after.kind !== "punct" || after.text !== ",")
      throw lexer.error(`Expected "," or ")", found ${lexer.describe(after)}.`, after.line, after.column);
    const key = lexer.next();
    if (key.kind === "punct" && key.text === ")")
      return { kind: "object", className: classToken.text, entries };
    if (key.kind !== "string")
      throw lexer.error(
        `Expected a property name in Object(...), found ${lexer.describe(key)}.`,
        key.line,
        key.column,
      );
    lexer.expect(":");
    entries.push([key.text, parseValue(lexer)]);
  }
}

/** The text between `[` and the matching `]` of a typed container, e.g. `int` or `String, int`. */
function readTypeArgs(lexer: Lexer): string {
  const parts: string[] = [];
  let depth = 0;
  for (;;) {
    const token = lexer.next();
    if (token.kind === "eof") throw lexer.error("Unterminated type arguments.", token.line, token.column);
    if (token.kind === "punct" && (token.text === "[" || token.text === "(")) depth++;
    if (token.kind === "punct" && (token.text === "]" || token.text === ")")) {
      if (depth === 0) return parts.join("").replace(/,/g, ", ");
      depth--;
    }
    parts.push(token.kind === "string" ? JSON.stringify(token.text) : token.text);
  }
}
