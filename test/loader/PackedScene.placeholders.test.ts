import * as os from "node:os";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadScene, Node, parseScene, SceneTree, TestClock, type WebsocketClient } from "../../src";

const scene = (root: unknown) => parseScene(JSON.stringify({ format: 1, root }));

describe("PackedScene#instantiate({ placeholders })", () => {
  test("fills {name} in string props, also inside arrays and objects, and leaves other braces", () => {
    const packed = scene({
      name: "Bot",
      type: "WebsocketClient",
      props: {
        connectionUrl: "ws://127.0.0.1:9000/bot/{index}?of={count}&s={seed}&x={other}&{index}",
        headers: { "X-Bot": "bot-{index}", Plain: "{ index }" },
        protocols: ["p{index}", "fixed"],
        connectTimeout: 3,
      },
    });
    const bot = packed.instantiate<WebsocketClient>({ placeholders: { index: 7, count: 20, seed: 99 } });
    expect(bot.connectionUrl).toBe("ws://127.0.0.1:9000/bot/7?of=20&s=99&x={other}&7");
    expect(bot.headers).toEqual({ "X-Bot": "bot-7", Plain: "{ index }" });
    expect(bot.protocols).toEqual(["p7", "fixed"]);
    expect(bot.connectTimeout).toBe(3);
    bot.free();
  });

  test("each instance gets its own values; without placeholders the text stays as written", () => {
    const packed = scene({
      name: "Bot",
      type: "WebsocketClient",
      props: { connectionUrl: "ws://h/{index}" },
    });
    const urls = [0, 1, 2].map((index) => {
      const bot = packed.instantiate<WebsocketClient>({ placeholders: { index } });
      const url = bot.connectionUrl;
      bot.free();
      return url;
    });
    expect(urls).toEqual(["ws://h/0", "ws://h/1", "ws://h/2"]);
    const plain = packed.instantiate<WebsocketClient>();
    expect(plain.connectionUrl).toBe("ws://h/{index}");
    plain.free();
  });

  test("names that are regular-expression syntax are matched literally", () => {
    const packed = scene({ name: "Bot", type: "WebsocketClient", props: { connectionUrl: "{a.b} {axb}" } });
    const bot = packed.instantiate<WebsocketClient>({ placeholders: { "a.b": 1 } });
    expect(bot.connectionUrl).toBe("1 {axb}");
    bot.free();
  });

  test("reaches the props of instanced sub-scenes and the overrides written on them", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "placeholders-"));
    try {
      fs.writeFileSync(
        path.join(dir, "bot.scene.json"),
        JSON.stringify({
          format: 1,
          root: { name: "Bot", type: "WebsocketClient", props: { connectionUrl: "ws://h/{index}" } },
        }),
      );
      fs.writeFileSync(
        path.join(dir, "main.scene.json"),
        JSON.stringify({
          format: 1,
          root: {
            name: "Main",
            type: "Node",
            children: [
              { instance: "bot.scene.json" },
              { instance: "bot.scene.json", name: "Second", props: { connectionUrl: "ws://other/{index}" } },
            ],
          },
        }),
      );
      const packed = await loadScene(path.join(dir, "main.scene.json"));
      const root = packed.instantiate({ placeholders: { index: 4 } });
      expect(root.getNode<WebsocketClient>("Bot").connectionUrl).toBe("ws://h/4");
      expect(root.getNode<WebsocketClient>("Second").connectionUrl).toBe("ws://other/4");
      root.free();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("changeSceneToPacked fills in the tree's own instance", () => {
    const tree = new SceneTree({ clock: new TestClock(), instance: { index: 3, count: 5, seed: 11 } });
    tree.changeSceneToPacked(
      scene({
        name: "Bot",
        type: "WebsocketClient",
        props: { connectionUrl: "ws://h/{index}/{count}/{seed}" },
      }),
    );
    tree.step(0);
    expect(tree.currentScene).toBeInstanceOf(Node);
    expect((tree.currentScene as WebsocketClient).connectionUrl).toBe("ws://h/3/5/11");
    tree.quit();
    tree.step(0);
  });
});
