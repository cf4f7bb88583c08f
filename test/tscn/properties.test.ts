import { isEditorOnly, propertyRule } from "../../src/tscn/properties";

describe("propertyRule", () => {
  test("a Node's process mode: Godot 4's process_mode, Godot 3's pause_mode, each with its own numbers", () => {
    const godot4 = propertyRule("process_mode", 3, "Node", "Node");
    expect(godot4.name).toBe("processMode");
    expect(godot4.values?.[4]).toBe("DISABLED");
    const godot3 = propertyRule("pause_mode", 2, "Node", "Node");
    expect(godot3.name).toBe("processMode");
    expect([godot3.values?.[1], godot3.values?.[2]]).toEqual(["PAUSABLE", "ALWAYS"]);
  });

  test("Godot 3's process_mode is the Timer's process callback, and dropped on other classes", () => {
    expect(propertyRule("process_mode", 2, "Timer", "Timer")).toMatchObject({
      name: "processCallback",
      values: { 0: "PHYSICS", 1: "IDLE" },
    });
    const other = propertyRule("process_mode", 2, "AnimationPlayer", "Node");
    expect(other.name).toBe("processMode");
    expect(other.drop).toMatch(/pause_mode/);
    expect(propertyRule("process_callback", 3, "Timer", "Timer").name).toBe("processCallback");
  });

  test("rules of the target type come first; anything else is the camelCase name", () => {
    expect(propertyRule("use_WSS", 3, "Node", "WebSocketNode").name).toBe("useWss");
    expect(propertyRule("autoconnect_mode", 3, "Node", "WebSocketNode").values?.[5]).toBe("CUSTOM");
    expect(propertyRule("connection_url", 3, "Node", "WebsocketClient").name).toBe("connectionUrl");
    expect(propertyRule("wait_time", 3, "Timer", "Timer")).toEqual({ name: "waitTime" });
    expect(propertyRule("use_WSS", 3, "Node", "Node")).toEqual({ name: "useWSS" });
  });
});

describe("isEditorOnly", () => {
  test.each([
    ["__meta__", true],
    ["editor_description", true],
    ["_import_path", true],
    ["metadata/_edit_lock_", true],
    ["metadata/_editor_description_", true],
    ["metadata/note", false],
    ["speed", false],
  ])("%s: %s", (key, expected) => {
    expect(isEditorOnly(key)).toBe(expected);
  });
});
