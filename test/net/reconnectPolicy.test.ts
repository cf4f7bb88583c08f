import { reconnectAllowed } from "../../src/net/reconnectPolicy";

const none = { noReconnectCodes: [] as readonly number[], shouldReconnect: undefined };

describe("reconnectAllowed", () => {
  test("by default: everything is retried but a handshake refused with 4xx (408 and 429 are) or a refused 101", () => {
    const allowed = (status: number) => reconnectAllowed(none, -1, "refused", status);
    expect([0, 200, 301, 500, 503, 408, 429].map(allowed)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([400, 401, 403, 404, 410, 499].map(allowed)).toEqual([false, false, false, false, false, false]);
    expect(allowed(101)).toBe(false); // a 101 answer the client refused: no subprotocol agreed on
    expect(reconnectAllowed(none, 4001, "kicked", 0)).toBe(true);
  });

  test("noReconnectCodes ends it on those close codes, before shouldReconnect is asked", () => {
    const asked: number[] = [];
    const settings = {
      noReconnectCodes: [4001, 4003],
      shouldReconnect: (code: number) => (asked.push(code), true),
    };
    expect([4001, 4002, 4003, 1006].map((code) => reconnectAllowed(settings, code, "", 0))).toEqual([
      false,
      true,
      false,
      true,
    ]);
    expect(asked).toEqual([4002, 1006]);
  });

  test("shouldReconnect replaces the 4xx rule; only false says no", () => {
    const answers: unknown[] = [true, false, undefined, 0];
    const settings = {
      noReconnectCodes: [],
      shouldReconnect: () => answers.shift() as boolean,
    };
    expect([401, 503, 401, 401].map((status) => reconnectAllowed(settings, -1, "", status))).toEqual([
      true,
      false,
      true,
      true,
    ]);
  });
});
