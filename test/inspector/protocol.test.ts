import { MAX_PROP_TEXT, MAX_SEND_TEXT, clientMessageSchema } from "../../src/inspector/protocol";
import { readProps } from "../../src/inspector/props";
import { WebsocketClient } from "../../src/nodes/WebsocketClient";
import { getNodeType } from "../../src/loader/registry";
import "../../src";

const accepts = (message: unknown) => clientMessageSchema.safeParse(message).success;

describe("the page's messages", () => {
  test("only the listed messages, in their exact shapes", () => {
    expect(accepts({ t: "select", id: 3 })).toBe(true);
    expect(accepts({ t: "select", id: null })).toBe(true);
    expect(accepts({ t: "select", id: 0 })).toBe(false);
    expect(accepts({ t: "eval", code: "process.exit()" })).toBe(false);
    expect(accepts({ t: "suspend", on: true, extra: 1 })).toBe(false);
    expect(accepts({ t: "ws", id: 1, action: "send", text: "x".repeat(MAX_SEND_TEXT) })).toBe(true);
    expect(accepts({ t: "ws", id: 1, action: "send", text: "x".repeat(MAX_SEND_TEXT + 1) })).toBe(false);
  });

  test("a string prop the page was sent whole can be sent back whole, and no longer", () => {
    const client = new WebsocketClient("C");
    client.connectionUrl = `ws://h/?t=${"t".repeat(MAX_PROP_TEXT - 10)}`;
    const prop = readProps(client, getNodeType("WebsocketClient")!).find((p) => p.name === "connectionUrl")!;
    expect(prop).toMatchObject({ editable: true, value: client.connectionUrl });
    const setProp = (value: string) => ({ t: "setProp", req: 1, id: 2, name: "connectionUrl", value });
    expect(accepts(setProp(prop.value as string))).toBe(true);
    expect(accepts(setProp("x".repeat(MAX_PROP_TEXT)))).toBe(true);
    expect(accepts(setProp("x".repeat(MAX_PROP_TEXT + 1)))).toBe(false);
  });
});
