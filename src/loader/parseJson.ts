import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from "jsonc-parser";
import { linkOf, type JsonPathSegment, type PathLink } from "./jsonPath";

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Where in a JSON text a path points: the property's key (for "unknown property") or its value. */
export type PositionTarget = "key" | "value";

/**
 * A JSON text that can answer "where is this path?". The position tree is built only when first asked,
 * because it is needed only to report problems and a valid 10,000-node scene should not pay for it.
 */
export class JsonSource {
  private tree: JsonNode | undefined | null = null;
  private lineStarts: number[] | null = null;
  /** The JSON node (or null: not there) at each link already looked up. */
  private readonly nodes = new Map<PathLink, JsonNode | null>();

  constructor(readonly text: string) {}

  positionOf(segments: readonly JsonPathSegment[], target: PositionTarget = "value"): SourcePosition {
    return this.positionOfLink(linkOf(segments), target);
  }

  /**
   * Where `link` points; a path that does not exist points at the nearest part of it that does (a
   * missing property at its object). Each link is looked up once, from its parent's node.
   */
  positionOfLink(link: PathLink | null, target: PositionTarget = "value"): SourcePosition {
    this.tree ??= parseTree(this.text, [], STRICT) ?? undefined;
    if (!this.tree) return { line: 1, column: 1 };
    const node = this.nodeAt(link);
    if (node) {
      const key = target === "key" && node.parent?.type === "property" ? node.parent.children?.[0] : null;
      return this.positionAt((key ?? node).offset);
    }
    for (let l = link?.up ?? null; l; l = l.up) {
      const ancestor = this.nodes.get(l);
      if (ancestor) return this.positionAt(ancestor.offset);
    }
    return this.positionAt(this.tree.offset);
  }

  private nodeAt(link: PathLink | null): JsonNode | null {
    const todo: PathLink[] = [];
    let l = link;
    for (; l && !this.nodes.has(l); l = l.up) todo.push(l);
    let node: JsonNode | null = l ? this.nodes.get(l)! : this.tree!;
    for (let i = todo.length - 1; i >= 0; i--) {
      node = node ? childAt(node, todo[i].key) : null;
      this.nodes.set(todo[i], node);
    }
    return node;
  }

  positionAt(offset: number): SourcePosition {
    const starts = (this.lineStarts ??= computeLineStarts(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  }
}

export type JsonParseResult =
  { ok: true; value: unknown; source: JsonSource } | { ok: false; position: SourcePosition; message: string };

// Scene files are plain JSON: no comments, no trailing commas, no empty file.
const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/**
 * Parses strict JSON. Valid text goes through the native `JSON.parse` (several times faster than any
 * JavaScript parser, and it defines a `"__proto__"` key as a plain own property rather than a prototype);
 * invalid text goes through jsonc-parser to name the first error's line:column. A leading byte order
 * mark is tolerated, as editors on Windows write one and it is invisible. Without `quote`, a syntax
 * error names the place and the kind of error but shows nothing of the text (it is not a scene file).
 */
export function parseJsonWithPositions(input: string, quote = true): JsonParseResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const source = new JsonSource(text);
  try {
    return { ok: true, value: JSON.parse(text), source };
  } catch (nativeError) {
    const errors: ParseError[] = [];
    parseTree(text, errors, STRICT);
    const first = errors[0] && atControlCharacter(errors[0], text);
    if (first)
      return { ok: false, position: source.positionAt(first.offset), message: describe(first, text, quote) };
    // jsonc-parser accepted what JSON.parse refused: fall back to the native message's offset (the
    // native message itself quotes the text, so it is not repeated).
    const offset = /position (\d+)/.exec(String(nativeError))?.[1];
    return {
      ok: false,
      position: source.positionAt(offset ? Number(offset) : 0),
      message: "not valid JSON here",
    };
  }
}

const MESSAGES: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "expected a property name in double quotes",
  ValueExpected: "expected a value",
  ColonExpected: "expected a colon after the property name",
  CommaExpected: "expected a comma",
  CloseBraceExpected: "expected a closing brace }",
  CloseBracketExpected: "expected a closing bracket ]",
  EndOfFileExpected: "expected the end of the file after the top-level value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "unterminated comment",
  UnexpectedEndOfString: "unterminated string",
  UnexpectedEndOfNumber: "unterminated number",
  InvalidUnicode: "invalid unicode escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter:
    "a tab or other control character inside a string (write a tab as \\t, a line break as \\n)",
};

/**
 * jsonc-parser reports a raw tab (or other control character) in a string at the string's start: the
 * error is at the character itself, which is invisible in the string, so the column is what shows it.
 */
function atControlCharacter(error: ParseError, text: string): ParseError {
  if (printParseErrorCode(error.error) !== "InvalidCharacter") return error;
  for (let i = error.offset; i < error.offset + error.length && i < text.length; i++) {
    if (text.charCodeAt(i) < 0x20) return { ...error, offset: i, length: 1 };
  }
  return error;
}

/** Longest piece of the text a syntax error quotes: enough to spot a typo, too little to leak a secret. */
const MAX_QUOTED = 12;

function describe(error: ParseError, text: string, quote: boolean): string {
  const name = printParseErrorCode(error.error);
  const base = MESSAGES[name] ?? name;
  if (error.offset >= text.length) return `${base}, found the end of the file`;
  if (!quote) return base;
  const token = text.slice(error.offset, error.offset + Math.max(1, Math.min(error.length, MAX_QUOTED)));
  const found = /^\s/.test(token) ? token.slice(0, 1) : token.replace(/\s[^]*$/, "");
  return `${base}, found ${JSON.stringify(found)}`;
}

function childAt(node: JsonNode, key: JsonPathSegment): JsonNode | null {
  if (typeof key === "number") return node.type === "array" ? (node.children?.[key] ?? null) : null;
  if (node.type !== "object") return null;
  // The last property of that name: JSON.parse keeps the last of duplicate keys.
  let found: JsonNode | null = null;
  for (const property of node.children ?? []) {
    const [name, value] = property.children ?? [];
    if (name?.value === key && value) found = value;
  }
  return found;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}
