import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import "../../src";
import { convertTscn } from "../../src/tscn";
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

  test("Godot's supported_protocols is protocols on the WebSocket nodes; the other peer settings are their camelCase", () => {
    for (const type of ["WebSocketServer", "WebsocketClient", "WebSocketNode"])
      expect(propertyRule("supported_protocols", 3, "Node", type)).toEqual({ name: "protocols" });
    expect(propertyRule("handshake_timeout", 3, "Node", "WebSocketServer")).toEqual({
      name: "handshakeTimeout",
    });
    expect(propertyRule("inbound_buffer_size", 3, "Node", "WebSocketServer")).toEqual({
      name: "inboundBufferSize",
    });
    expect(propertyRule("supported_protocols", 3, "Node", "Node")).toEqual({ name: "supportedProtocols" });
  });

  test("Godot 3's Timer process_mode on an instanced Timer, or on a Timer inside an instance, is its process callback", () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tscn-timer-")));
    try {
      fs.writeFileSync(path.join(dir, "project.godot"), "");
      fs.writeFileSync(path.join(dir, "timer.tscn"), '[gd_scene format=2]\n[node name="T" type="Timer"]\n');
      fs.writeFileSync(
        path.join(dir, "holder.tscn"),
        '[gd_scene format=2]\n[node name="H" type="Node"]\n[node name="Inner" type="Timer" parent="."]\n',
      );
      const text =
        '[gd_scene load_steps=3 format=2]\n[ext_resource path="res://timer.tscn" type="PackedScene" id=1]\n' +
        '[ext_resource path="res://holder.tscn" type="PackedScene" id=2]\n[node name="Main" type="Node"]\n' +
        '[node name="TI" parent="." instance=ExtResource( 1 )]\nprocess_mode = 0\n' +
        '[node name="S" parent="." instance=ExtResource( 2 )]\n[node name="Inner" parent="S"]\nprocess_mode = 0\n' +
        '[editable path="S"]\n';
      const { scene, warnings } = convertTscn(text, { file: path.join(dir, "main.tscn") });
      const [ti, s] = scene.root.children!;
      expect(ti.props).toEqual({ processCallback: "PHYSICS" });
      expect(s.editable).toEqual({ Inner: { props: { processCallback: "PHYSICS" } } });
      expect(warnings).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // The demo's script declares class_name WebSocketServer (in every 4.x branch); a file name alone no
  // longer picks a Godot class (see "a script's file name alone" in instanceScripts.test.ts).
  test("the websocket_chat demo's WebSocketServer.gd, mapped by its class_name, keeps its supported_protocols", () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tscn-ws-")));
    try {
      fs.writeFileSync(path.join(dir, "project.godot"), "");
      fs.mkdirSync(path.join(dir, "websocket"));
      fs.writeFileSync(
        path.join(dir, "websocket/WebSocketServer.gd"),
        "class_name WebSocketServer\nextends Node\n",
      );
      const text =
        '[gd_scene format=3]\n[ext_resource type="Script" path="res://websocket/WebSocketServer.gd" id="3_0eqsy"]\n' +
        '[node name="WebSocketServer" type="Node"]\nscript = ExtResource("3_0eqsy")\n' +
        'supported_protocols = PackedStringArray("demo-chat")\nhandshake_timeout = 3.0\n';
      const { scene, warnings } = convertTscn(text, { file: path.join(dir, "server.tscn") });
      expect(scene.root).toMatchObject({
        type: "WebSocketServer",
        props: { protocols: ["demo-chat"], handshakeTimeout: 3 },
      });
      expect(warnings).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
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
