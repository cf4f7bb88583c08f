import { TscnError } from "./errors";

export type TokenKind = "punct" | "string" | "stringName" | "number" | "ident" | "eof";

export interface Token {
  kind: TokenKind;
  /** The punctuation character, the identifier, or the decoded string. */
  text: string;
  /** For numbers. */
  value: number;
  line: number;
  column: number;
}

/** A property line's key: `key = value`. */
export interface KeyToken {
  key: string;
  line: number;
  column: number;
}

/** Longest piece of the text an error quotes: enough to spot a typo, too little to leak a secret. */
const MAX_QUOTED = 16;

const PUNCT = new Set(["[", "]", "{", "}", "(", ")", ",", ":", "="]);
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  "\\": "\\",
  '"': '"',
  "'": "'",
  a: "\x07",
  v: "\v",
};

/**
 * Godot's text resource tokens (core/variant/variant_parser.cpp): punctuation, strings with escapes
 * (they may span lines), `&"StringName"` (or `@"StringName"`), numbers, identifiers. `;` starts a comment to the end of the
 * line. Every token carries its 1-based line and column for errors.
 */
export class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private peeked: Token | null = null;
  /** Where the lexer stood before scanning `peeked`, so a property key can be read from there instead. */
  private beforePeek = { pos: 0, line: 1, lineStart: 0 };
  /** How deep the value being parsed nests (see values.ts); a syntax error ends the parse, so no unwinding. */
  valueDepth = 0;

  /** `quote`: whether errors may show pieces of the text (not for a file that is not a `.tscn`). */
  constructor(
    private readonly text: string,
    readonly file: string,
    private readonly quote = true,
  ) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = this.lineStart = 1;
  }

  /** A piece of the text for an error message: quoted and cut short, or not shown at all. */
  show(piece: string): string {
    if (!this.quote) return "(not shown: not a .tscn file)";
    return JSON.stringify(piece.length > MAX_QUOTED ? piece.slice(0, MAX_QUOTED) + "…" : piece);
  }

  /** A token as an error message names it. */
  describe(token: Token): string {
    switch (token.kind) {
      case "eof":
        return "the end of the file";
      case "string":
        return `the string ${this.show(token.text)}`;
      case "stringName":
        return `&${this.show(token.text)}`;
      default:
        return this.show(token.text);
    }
  }

  error(detail: string, line: number, column: number): TscnError {
    return new TscnError("ERR_TSCN_SYNTAX", this.file, line, column, detail);
  }

  peek(): Token {
    if (!this.peeked) {
      this.beforePeek = { pos: this.pos, line: this.line, lineStart: this.lineStart };
      this.peeked = this.scan();
    }
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = null;
    return token;
  }

  /** Consumes the punctuation `char` or throws naming what was found instead. */
  expect(char: string, what = `"${char}"`): Token {
    const token = this.next();
    if (token.kind !== "punct" || token.text !== char)
      throw this.error(`Expected ${what}, found ${this.describe(token)}.`, token.line, token.column);
    return token;
  }

  /**
   * At the start of a statement inside a section: the key of a `key = value` line (keys may hold `/`,
   * as in `metadata/foo`, or be quoted), after which the value follows; null when the next thing is a
   * section header `[` or the end of the file.
   */
  readKey(): KeyToken | null {
    if (this.peeked) {
      // A value such as `true` peeks at what follows it; a key is not a token, so go back and read it raw.
      ({ pos: this.pos, line: this.line, lineStart: this.lineStart } = this.beforePeek);
      this.peeked = null;
    }
    this.skipSpace();
    if (this.pos >= this.text.length || this.text[this.pos] === "[") return null;
    const line = this.line;
    const column = this.column();
    let key: string;
    if (this.text[this.pos] === '"') {
      key = this.scanString(line, column);
      this.skipSpace();
      if (this.text[this.pos] !== "=")
        throw this.error(`Expected "=" after the property name ${this.show(key)}.`, this.line, this.column());
    } else {
      const end = this.text.slice(this.pos).search(/[=\n]/);
      if (end < 0 || this.text[this.pos + end] !== "=") {
        const rest = this.text.slice(this.pos, end < 0 ? undefined : this.pos + end).trim();
        throw this.error(`Expected a property line "key = value", found ${this.show(rest)}.`, line, column);
      }
      key = this.text.slice(this.pos, this.pos + end).trim();
      this.pos += end;
      if (!/^[^\s"[\]{}(),]+$/.test(key))
        throw this.error(`${this.show(key)} is not a valid property name.`, line, column);
    }
    this.pos++; // "="
    return { key, line, column };
  }

  private column(): number {
    return this.pos - this.lineStart + 1;
  }

  private skipSpace(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c === "\n") {
        this.pos++;
        this.line++;
        this.lineStart = this.pos;
      } else if (c === " " || c === "\t" || c === "\r") {
        this.pos++;
      } else if (c === ";") {
        while (this.pos < text.length && text[this.pos] !== "\n") this.pos++;
      } else break;
    }
  }

  private scan(): Token {
    this.skipSpace();
    const text = this.text;
    const line = this.line;
    const column = this.column();
    const token = (kind: TokenKind, value: string, number = 0): Token => ({
      kind,
      text: value,
      value: number,
      line,
      column,
    });
    if (this.pos >= text.length) return token("eof", "");
    const c = text[this.pos];
    if (PUNCT.has(c)) {
      this.pos++;
      return token("punct", c);
    }
    if (c === '"') return token("string", this.scanString(line, column));
    // Godot 4 still reads `@"x"` as a StringName ("compatibility with 3.x StringNames" in
    // variant_parser.cpp); Godot 4.0 development builds wrote it, in files still marked format=2.
    if ((c === "&" || c === "@") && text[this.pos + 1] === '"') {
      this.pos++;
      return token("stringName", this.scanString(line, column + 1));
    }
    if (c === "-" && IDENT_START.test(text[this.pos + 1] ?? "")) {
      // -inf (Godot 3 writes negative infinity this way)
      this.pos++;
      const ident = this.scanIdent();
      return token("ident", `-${ident}`);
    }
    const number = NUMBER.exec(text.slice(this.pos, this.pos + 64));
    if (number) {
      this.pos += number[0].length;
      return token("number", number[0], Number(number[0]));
    }
    if (IDENT_START.test(c)) return token("ident", this.scanIdent());
    throw this.error(`Unexpected character ${this.show(c)}.`, line, column);
  }

  private scanIdent(): string {
    const start = this.pos;
    while (this.pos < this.text.length && IDENT_PART.test(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A double-quoted string starting at `pos`; raw newlines are part of it, as in Godot. */
  private scanString(line: number, column: number): string {
    const text = this.text;
    this.pos++; // opening quote
    let out = "";
    for (;;) {
      if (this.pos >= text.length) throw this.error("Unterminated string.", line, column);
      const c = text[this.pos++];
      if (c === '"') return out;
      if (c === "\n") {
        this.line++;
        this.lineStart = this.pos;
        out += c;
      } else if (c === "\\") {
        const e = text[this.pos++];
        if (e === "u" || e === "U") {
          const length = e === "u" ? 4 : 6;
          const hex = text.slice(this.pos, this.pos + length);
          if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(hex))
            throw this.error(`Invalid escape ${this.show(`\\${e}${hex}`)}.`, this.line, this.column() - 2);
          this.pos += length;
          out += String.fromCodePoint(parseInt(hex, 16));
        } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) {
          out += ESCAPES[e];
        } else if (e === "\n") {
          // Godot keeps an escaped newline as a newline
          this.line++;
          this.lineStart = this.pos;
          out += "\n";
        } else {
          out += e ?? "";
        }
      } else out += c;
    }
  }
}
