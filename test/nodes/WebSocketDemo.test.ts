import * as path from "node:path";
import { loadScene, SceneTree } from "../../src";

describe("WebSocket demo scene (the default scene)", () => {
  test("runs in real time with no outside server: echo, server restart, both clients reconnect, exit 0", async () => {
    const lines: string[] = [];
    const log = jest
      .spyOn(console, "log")
      .mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      const scene = await loadScene(path.join(__dirname, "..", "..", "scenes", "main.scene.json"));
      const tree = new SceneTree({ fatalErrors: true });
      tree.root.addChild(scene.instantiate());
      const exitCode = await tree.run({ fps: 120 });
      expect(exitCode).toBe(0);
      const text = lines.join("\n");
      expect(text).toMatch(/WebsocketClient got echo: hello from WebsocketClient, after restart/);
      expect(text).toMatch(/WebSocketNode got echo: hello from WebSocketNode, after restart/);
      expect(text).toMatch(/server echoed 4 messages/);
    } finally {
      log.mockRestore();
    }
  }, 10000);
});
