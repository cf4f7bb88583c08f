import { TscnError } from "./errors";
import { Lexer } from "./lexer";
import { parseValue, type TscnValue } from "./values";

/** A value with where it was written. */
export interface Located<T = TscnValue> {
  value: T;
  line: number;
  column: number;
}

/** A property line `key = value` of a section. */
export interface PropertyLine extends Located {
  key: string;
}

/** One `[tag attr=value ...]` section with its property lines. */
export interface Section {
  tag: string;
  attrs: Map<string, Located>;
  props: PropertyLine[];
  line: number;
  column: number;
}

/**
 * A `.tscn` file read into sections, without any meaning attached yet: the header first, then
 * `ext_resource`, `sub_resource`, `node`, `connection` and `editable` sections in file order.
 */
export interface TscnDocument {
  file: string;
  header: Section;
  /** 2 for Godot 3, 3 for Godot 4 (the header's `format=`). */
  format: number;
  sections: Section[];
}

/** Reads Godot's text scene syntax; throws a {@link TscnError} at the first malformed spot. */
export function parseTscnDocument(text: string, file: string, quote = true): TscnDocument {
  const lexer = new Lexer(text, file, quote);
  const sections: Section[] = [];
  for (;;) {
    const key = lexer.readKey();
    if (key) {
      const value = parseValue(lexer);
      const current = sections.at(-1);
      if (!current)
        throw new TscnError(
          "ERR_TSCN_SYNTAX",
          file,
          key.line,
          key.column,
          `Property ${lexer.show(key.key)} before the [gd_scene] header.`,
        );
      current.props.push({ key: key.key, value, line: key.line, column: key.column });
      continue;
    }
    const open = lexer.next();
    if (open.kind === "eof") break;
    sections.push(parseSectionHeader(lexer, open.line, open.column));
  }
  const header = sections.shift();
  if (!header)
    throw new TscnError("ERR_TSCN_SYNTAX", file, 1, 1, "Empty file: a .tscn starts with [gd_scene ...].");
  if (header.tag === "gd_resource")
    throw new TscnError(
      "ERR_TSCN_UNSUPPORTED",
      file,
      header.line,
      header.column,
      "This is a resource file (.tres), not a scene; only scenes (.tscn) can be imported.",
    );
  if (header.tag !== "gd_scene")
    throw new TscnError(
      "ERR_TSCN_SYNTAX",
      file,
      header.line,
      header.column,
      `A .tscn starts with [gd_scene ...], found [${lexer.show(header.tag)}].`,
    );
  const formatAttr = header.attrs.get("format");
  const format = formatAttr?.value;
  if (typeof format !== "number" || format < 2 || format > 4) {
    const at = formatAttr ?? header;
    throw new TscnError(
      "ERR_TSCN_UNSUPPORTED",
      file,
      at.line,
      at.column,
      // gdquest-demos/godot-3-demos still has 87 scenes of Godot 2 (format=1): say how to get a Godot 3 one.
      format === 1
        ? "Scene format 1 (Godot 2) is not supported: convert the project to Godot 3 (Godot 2.1.4+: Project > Tools > Export to Godot 3.0) and import the scene it writes."
        : formatAttr
          ? `Scene format ${String(format)} is not supported: Godot 3 writes format=2, Godot 4 format=3 (or 4).`
          : "The [gd_scene] header has no format=; Godot 3 writes format=2, Godot 4 format=3.",
    );
  }
  for (const section of sections) {
    if (section.tag === "gd_scene" || section.tag === "gd_resource")
      throw new TscnError(
        "ERR_TSCN_SYNTAX",
        file,
        section.line,
        section.column,
        `A second [${section.tag}] header.`,
      );
  }
  return { file, header, format, sections };
}

function parseSectionHeader(lexer: Lexer, line: number, column: number): Section {
  const tag = lexer.next();
  if (tag.kind !== "ident")
    throw lexer.error(
      `Expected a section name after "[", found ${lexer.describe(tag)}.`,
      tag.line,
      tag.column,
    );
  const attrs = new Map<string, Located>();
  for (;;) {
    const token = lexer.next();
    if (token.kind === "punct" && token.text === "]") break;
    if (token.kind !== "ident")
      throw lexer.error(
        `Expected an attribute name or "]" in [${lexer.show(tag.text)}], found ${lexer.describe(token)}.`,
        token.line,
        token.column,
      );
    lexer.expect("=", `"=" after ${lexer.show(token.text)}`);
    if (attrs.has(token.text))
      throw lexer.error(`Attribute ${lexer.show(token.text)} is given twice.`, token.line, token.column);
    attrs.set(token.text, { value: parseValue(lexer), line: token.line, column: token.column });
  }
  return { tag: tag.text, attrs, props: [], line, column };
}
