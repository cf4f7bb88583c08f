import { echoed, echoedWords, MAX_ECHOED_CHARS, MAX_MESSAGE_CHARS } from "../../src/core/echo";

describe("echoed", () => {
  test("a piece up to the limit is repeated whole", () => {
    const name = "n".repeat(MAX_ECHOED_CHARS);
    expect(echoed(name)).toBe(name);
  });

  test("a longer piece keeps its start and says how long it was", () => {
    const shown = echoed("A".repeat(5_000_000));
    expect(shown).toBe(`${"A".repeat(60)}… (5000000 characters)`);
  });

  test("a surrogate pair is never cut in half", () => {
    const text = "a".repeat(59) + "😀".repeat(200);
    const shown = echoed(text);
    expect(shown.startsWith("a".repeat(59) + "…")).toBe(true);
    expect(Buffer.from(shown, "utf8").toString("utf8")).toBe(shown);
  });
});

describe("echoedWords", () => {
  test("a message of ordinary words is unchanged", () => {
    const message = `Unknown node type "Sprite2D" in ${"x/".repeat(150)}scene.json.`;
    expect(echoedWords(message)).toBe(message);
  });

  test("each overlong word is cut where it stands, the words around it kept", () => {
    const big = "B".repeat(300_000);
    const message = `Node "${big}": scenetree has no ${big} node; it becomes a plain Node.`;
    const shown = echoedWords(message);
    expect(shown).toBe(
      `Node "${"B".repeat(60)}… (300000 characters)": scenetree has no ${"B".repeat(60)}… (300000 characters) node; it becomes a plain Node.`,
    );
  });

  test("a message still too long after that keeps its start and its end", () => {
    const message = `start ${"a b ".repeat(100_000)} end.`;
    const shown = echoedWords(message);
    expect(shown.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS + 60);
    expect(shown.startsWith("start a b")).toBe(true);
    expect(shown.endsWith(" end.")).toBe(true);
    const left = Number(/… \((\d+) characters left out\) …/.exec(shown)?.[1]);
    expect(shown.length - `… (${left} characters left out) …`.length + left).toBe(message.length);
  });
});
