import { hostAllowed, makeToken, originAllowed, tokenMatches } from "../../src/inspector/security";

describe("inspector security checks", () => {
  it("makes unguessable tokens and compares them exactly", () => {
    const token = makeToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(makeToken()).not.toBe(token);
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, token.slice(1))).toBe(false);
    expect(tokenMatches(token, `${token} `)).toBe(false);
    expect(tokenMatches(token, "")).toBe(false);
    expect(tokenMatches("", "")).toBe(false);
  });

  it("accepts only loopback Host names on a loopback inspector", () => {
    expect(hostAllowed("127.0.0.1:9339", "127.0.0.1")).toBe(true);
    expect(hostAllowed("localhost:9339", "127.0.0.1")).toBe(true);
    expect(hostAllowed("[::1]:9339", "::1")).toBe(true);
    expect(hostAllowed("attacker.example:9339", "127.0.0.1")).toBe(false);
    expect(hostAllowed("127.0.0.1.attacker.example", "127.0.0.1")).toBe(false);
    expect(hostAllowed(undefined, "127.0.0.1")).toBe(false);
    expect(hostAllowed("192.168.1.5:9339", "0.0.0.0")).toBe(true); // exposed on purpose
  });

  it("accepts only the page's own Origin (or none, for tools that still need the token)", () => {
    expect(originAllowed("http://127.0.0.1:9339", "127.0.0.1:9339")).toBe(true);
    expect(originAllowed(undefined, "127.0.0.1:9339")).toBe(true);
    expect(originAllowed("http://localhost:9339", "127.0.0.1:9339")).toBe(false);
    expect(originAllowed("https://127.0.0.1:9339", "127.0.0.1:9339")).toBe(false);
    expect(originAllowed("null", "127.0.0.1:9339")).toBe(false);
    expect(originAllowed("http://evil.example", "127.0.0.1:9339")).toBe(false);
  });
});
