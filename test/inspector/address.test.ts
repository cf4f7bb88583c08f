import { isLoopbackHost, parseInspectAddress } from "../../src/inspector/address";

describe("parseInspectAddress", () => {
  it.each([
    ["", { host: "127.0.0.1", port: 0 }],
    ["9339", { host: "127.0.0.1", port: 9339 }],
    ["0.0.0.0:9339", { host: "0.0.0.0", port: 9339 }],
    ["localhost:0", { host: "localhost", port: 0 }],
    ["[::1]:9339", { host: "::1", port: 9339 }],
  ])("reads %j", (text, address) => {
    expect(parseInspectAddress(text)).toEqual(address);
  });

  it.each([
    "70000",
    "host:",
    ":9339",
    "a b:1",
    "9339:host",
    "http://x:1",
    "0:9339",
    "0.0:9339",
    "127.1:9339",
    "0x0:1",
  ])("refuses %j with a message", (text) => {
    expect(parseInspectAddress(text)).toEqual(expect.stringMatching(/^--inspect/));
  });
});

test("a short IPv4 host is refused: the system would expand it (0 is every interface)", () => {
  expect(parseInspectAddress("0:9339")).toBe(
    '--inspect "0" is an IPv4 address in short form, which the system expands ("0" is 0.0.0.0: every interface); write the address in full, such as 127.0.0.1 or 0.0.0.0.',
  );
});

describe("isLoopbackHost", () => {
  it.each(["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"])("%s is loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(["0.0.0.0", "::", "192.168.1.2", "example.com", "127.0.0.1.example.com"])("%s is not", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
