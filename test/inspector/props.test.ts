import { z } from "zod";
import { Node, ProcessMode } from "../../src/scene/Node";
import { Timer } from "../../src/nodes/Timer";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { getNodeType, registerNodeType, unregisterNodeType } from "../../src/loader/registry";
import { nodePropsSchema } from "../../src/nodes/nodeProps";
import "../../src";
import "../../src";
import { describeSchema, editProp, readProps, sendable } from "../../src/inspector/props";
import { typeInfoOf } from "../../src/inspector/nodeTypes";

class Ship extends Node {
  speed = 1;
  label = "ship";
}
class Scout extends Ship {}

beforeAll(() => {
  registerNodeType(
    "Ship",
    Ship,
    nodePropsSchema.extend({
      speed: z.number().min(0, "speed can't be negative").optional(),
      label: z.string().max(5).optional(),
    }),
  );
});
afterAll(() => unregisterNodeType("Ship"));

describe("describeSchema", () => {
  it("gives the page an input per kind", () => {
    expect(describeSchema(z.number().optional())).toEqual({ kind: "number" });
    expect(describeSchema(z.int().min(0))).toEqual({ kind: "int" });
    expect(describeSchema(z.boolean().default(false))).toEqual({ kind: "boolean" });
    expect(describeSchema(z.string())).toEqual({ kind: "string" });
    expect(describeSchema(z.enum(["immediate", "frame"]))).toEqual({
      kind: "enum",
      options: [
        ["immediate", "immediate"],
        ["frame", "frame"],
      ],
    });
    expect(describeSchema(z.record(z.string(), z.string()))).toEqual({ kind: "other" });
  });

  it("reads enumProp's members with the numbers the node holds", () => {
    const processMode = nodePropsSchema.shape.processMode;
    expect(describeSchema(processMode)).toEqual({
      kind: "enum",
      options: [
        ["INHERIT", 0],
        ["PAUSABLE", 1],
        ["WHEN_PAUSED", 2],
        ["ALWAYS", 3],
        ["DISABLED", 4],
      ],
    });
  });
});

describe("typeInfoOf", () => {
  it("finds the registered type of the node's class or its nearest registered ancestor", () => {
    expect(typeInfoOf(new Timer())?.name).toBe("Timer");
    expect(typeInfoOf(new Scout())?.name).toBe("Ship");
    class Unregistered extends Node {}
    expect(typeInfoOf(new Unregistered())?.name).toBe("Node");
  });
});

describe("readProps", () => {
  it("lists every prop of the type with its live value and whether the page may edit it", () => {
    const ship = new Ship("S");
    ship.speed = 2.5;
    ship.processMode = ProcessMode.ALWAYS;
    const props = readProps(ship, getNodeType("Ship")!);
    expect(props.map((p) => [p.name, p.kind, p.value, p.editable])).toEqual([
      ["processMode", "enum", ProcessMode.ALWAYS, true],
      ["processPriority", "int", 0, true],
      ["processPhysicsPriority", "int", 0, true],
      ["speed", "number", 2.5, true],
      ["label", "string", "ship", true],
    ]);
  });

  it("sends an editable string whole, so an edit does not cut it; one too long to edit is read-only", () => {
    // A URL with a long token (a JWT is often over 300 characters): shown shortened, an edit of its
    // host would have written the shortened text, "…" included, to the node.
    const client = new WebsocketClient("C");
    const url = `wss://game.example/?token=${"t".repeat(600)}`;
    client.connectionUrl = url;
    const prop = () =>
      readProps(client, getNodeType("WebsocketClient")!).find((p) => p.name === "connectionUrl")!;
    expect(prop()).toMatchObject({ kind: "string", value: url, editable: true });
    const huge = `wss://game.example/?token=${"t".repeat(5000)}`;
    client.connectionUrl = huge;
    expect(prop().editable).toBe(false);
    expect(String(prop().value)).toHaveLength(301);
  });

  it("never sends TLS settings or headers, and does not offer them for editing", () => {
    const client = new WebsocketClient("C");
    client.headers = { Authorization: "Bearer secret-value" };
    client.tls = { key: "-----BEGIN PRIVATE KEY-----" };
    const props = readProps(client, getNodeType("WebsocketClient")!);
    const headers = props.find((p) => p.name === "headers")!;
    const tls = props.find((p) => p.name === "tls")!;
    expect(JSON.stringify(props)).not.toMatch(/secret-value|PRIVATE KEY/);
    expect(headers).toMatchObject({ value: "‹hidden: Authorization›", editable: false });
    expect(tls).toMatchObject({ value: "‹hidden: key›", editable: false });
  });
});

describe("editProp", () => {
  it("assigns a value the schema accepts", () => {
    const ship = new Ship("S");
    expect(editProp(ship, getNodeType("Ship")!, "speed", 7)).toEqual({ ok: true });
    expect(ship.speed).toBe(7);
  });

  it("assigns what the schema makes of the value: an enum member's name becomes its number", () => {
    const ship = new Ship("S");
    expect(editProp(ship, getNodeType("Ship")!, "processMode", "DISABLED")).toEqual({ ok: true });
    expect(ship.processMode).toBe(ProcessMode.DISABLED);
  });

  it("refuses what the schema refuses with the schema's message, and changes nothing", () => {
    const ship = new Ship("S");
    expect(editProp(ship, getNodeType("Ship")!, "speed", -1)).toEqual({
      ok: false,
      error: "speed can't be negative",
    });
    expect(editProp(ship, getNodeType("Ship")!, "speed", "fast")).toEqual({
      ok: false,
      error: expect.stringMatching(/expected number/),
    });
    expect(editProp(ship, getNodeType("Ship")!, "label", "too long")).toEqual({
      ok: false,
      error: expect.stringMatching(/5/),
    });
    expect([ship.speed, ship.label]).toEqual([1, "ship"]);
  });

  it("reaches only the type's editable props, not other members of the node", () => {
    const ship = new Ship("S");
    const info = getNodeType("Ship")!;
    expect(editProp(ship, info, "name", "Hacked")).toEqual({ ok: false, error: 'Ship has no prop "name".' });
    expect(editProp(ship, info, "__proto__", 1)).toMatchObject({ ok: false });
    expect(editProp(ship, info, "constructor", 1)).toMatchObject({ ok: false });
    const client = new WebsocketClient("C");
    expect(editProp(client, getNodeType("WebsocketClient")!, "headers", "x")).toEqual({
      ok: false,
      error: '"headers" can\'t be edited from the inspector.',
    });
    expect(ship.name).toBe("S");
  });

  it("reports a setter that throws instead of letting it escape", () => {
    class Picky extends Node {
      get level(): number {
        return 1;
      }
      set level(_value: number) {
        throw new Error("level is fixed while running");
      }
    }
    registerNodeType("Picky", Picky, nodePropsSchema.extend({ level: z.number().optional() }));
    try {
      expect(editProp(new Picky(), getNodeType("Picky")!, "level", 2)).toEqual({
        ok: false,
        error: "level is fixed while running",
      });
    } finally {
      unregisterNodeType("Picky");
    }
  });
});

describe("sendable", () => {
  it("makes every value JSON-safe and short", () => {
    expect(sendable(NaN)).toBe("NaN");
    expect(sendable(undefined)).toBeNull();
    expect(sendable("x".repeat(400))).toHaveLength(301);
    expect(sendable({ a: 1 })).toBe('{"a":1}');
    expect(sendable(new Node("Loose"))).toBe("‹Loose›");
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(sendable(circular)).toBe("[object Object]");
  });
});
