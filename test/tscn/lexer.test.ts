import { Lexer, type Token } from "../../src/tscn/lexer";
import { TscnError } from "../../src/tscn/errors";

function tokens(text: string): Array<Pick<Token, "kind" | "text" | "line" | "column">> {
  const lexer = new Lexer(text, "t.tscn");
  const out: Array<Pick<Token, "kind" | "text" | "line" | "column">> = [];
  for (;;) {
    const { kind, text: t, line, column } = lexer.next();
    out.push({ kind, text: t, line, column });
    if (kind === "eof") return out;
  }
}

function thrown(run: () => unknown): TscnError {
  try {
    run();
  } catch (error) {
    if (error instanceof TscnError) return error;
    throw error;
  }
  throw new Error("did not throw");
}

describe("Lexer", () => {
  test("punctuation, identifiers, numbers, strings and StringNames, each at its 1-based line and column", () => {
    expect(tokens('[node name="A"]\n  x = -1.5e2 &"walk" ; a comment\n')).toEqual([
      { kind: "punct", text: "[", line: 1, column: 1 },
      { kind: "ident", text: "node", line: 1, column: 2 },
      { kind: "ident", text: "name", line: 1, column: 7 },
      { kind: "punct", text: "=", line: 1, column: 11 },
      { kind: "string", text: "A", line: 1, column: 12 },
      { kind: "punct", text: "]", line: 1, column: 15 },
      { kind: "ident", text: "x", line: 2, column: 3 },
      { kind: "punct", text: "=", line: 2, column: 5 },
      { kind: "number", text: "-1.5e2", line: 2, column: 7 },
      { kind: "stringName", text: "walk", line: 2, column: 14 },
      { kind: "eof", text: "", line: 3, column: 1 },
    ]);
    expect(new Lexer("-1.5e2", "t.tscn").next().value).toBe(-150);
  });

  // qarmin/The-worst-Godot-test-project, MainScenes/2DALL.tscn (saved by a Godot 4.0 development build):
  // `"name": @"New Anim"` in a SpriteFrames and `animation = @"New Anim"`; Godot 4 reads both.
  test('@"x" is a StringName, as in Godot 4', () => {
    expect(tokens('animation = @"New Anim"')).toEqual([
      { kind: "ident", text: "animation", line: 1, column: 1 },
      { kind: "punct", text: "=", line: 1, column: 11 },
      { kind: "stringName", text: "New Anim", line: 1, column: 13 },
      { kind: "eof", text: "", line: 1, column: 24 },
    ]);
  });

  test("string escapes are decoded, and a string may span lines", () => {
    const lexer = new Lexer('"a\\tb\\n\\"q\\"\nsecond" x', "t.tscn");
    expect(lexer.next()).toMatchObject({ kind: "string", text: 'a\tb\n"q"\nsecond', line: 1, column: 1 });
    expect(lexer.next()).toMatchObject({ kind: "ident", text: "x", line: 2, column: 9 });
  });

  test("a byte order mark is skipped without shifting columns", () => {
    expect(new Lexer("\ufeff[a]", "t.tscn").next()).toMatchObject({ text: "[", line: 1, column: 1 });
  });

  test("peek does not consume; expect names what it found instead", () => {
    const lexer = new Lexer("( ]", "t.tscn");
    expect(lexer.peek().text).toBe("(");
    expect(lexer.expect("(").text).toBe("(");
    const error = thrown(() => lexer.expect(")"));
    expect(error).toMatchObject({ code: "ERR_TSCN_SYNTAX", line: 1, column: 3 });
    expect(error.detail).toBe('Expected ")", found "]".');
  });

  test("readKey reads keys holding / and quoted keys, and null before a section or the end", () => {
    const lexer = new Lexer('metadata/foo = 1\n"odd key" = 2\n[node]', "t.tscn");
    expect(lexer.readKey()).toEqual({ key: "metadata/foo", line: 1, column: 1 });
    expect(lexer.next().value).toBe(1);
    expect(lexer.readKey()).toEqual({ key: "odd key", line: 2, column: 1 });
    expect(lexer.next().value).toBe(2);
    expect(lexer.readKey()).toBeNull();
    expect(new Lexer("  ", "t.tscn").readKey()).toBeNull();
  });

  test("a line that is not key = value is an error at its start, quoting at most 16 characters", () => {
    const error = thrown(() => new Lexer("this line has no equals sign at all\n", "t.tscn").readKey());
    expect(error).toMatchObject({ code: "ERR_TSCN_SYNTAX", file: "t.tscn", line: 1, column: 1 });
    expect(error.detail).toBe('Expected a property line "key = value", found "this line has no…".');
  });

  test("with quote off, errors never show the text", () => {
    const lexer = new Lexer("secret-token-123 ]", "t.env", false);
    expect(lexer.show("secret-token-123")).toBe("(not shown: not a .tscn file)");
    expect(thrown(() => lexer.readKey()).detail).not.toContain("secret");
  });

  test("an unterminated string is reported where it starts", () => {
    const error = thrown(() => tokens('x\n  "never closed'));
    expect(error).toMatchObject({ code: "ERR_TSCN_SYNTAX", line: 2, column: 3 });
  });
});
