import "../../src"; // the package entry installs the built-in node types and .tscn
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Node } from "../../src/scene/Node";
import { getNodeType, nodePropsSchema, registerNodeType } from "../../src";
import { convertTscn } from "../../src/tscn";

/**
 * Reduced from godot-demo-projects' networking/websocket_chat/server.tscn (Godot 4): its
 * websocket/WebSocketServer.gd (class_name WebSocketServer) becomes scenetree's WebSocketServer, and
 * the demo's client_connected / client_disconnected are that server's peerConnected / peerDisconnected.
 * Before, both connections were dropped ("WebSocketServer has no signal clientConnected").
 */
class ChatServer extends Node {
  _onWebSocketServerClientConnected(): void {}
  _onWebSocketServerClientDisconnected(): void {}
  _onWebSocketServerMessageReceived(): void {}
}
if (!getNodeType("ChatServer")) registerNodeType("ChatServer", ChatServer, nodePropsSchema);

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "tscn-ws-chat-")));
  fs.writeFileSync(path.join(dir, "project.godot"), "");
  fs.mkdirSync(path.join(dir, "websocket"));
  fs.writeFileSync(
    path.join(dir, "websocket/WebSocketServer.gd"),
    "class_name WebSocketServer\nextends Node\n",
  );
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("the websocket_chat demo server's connections reach scenetree's WebSocketServer signals", () => {
  const text =
    '[gd_scene format=3 uid="uid://bqayqu4cd46ms"]\n\n' +
    '[ext_resource type="Script" uid="uid://sgtvdyjovl50" path="res://websocket/WebSocketServer.gd" id="3_0eqsy"]\n\n' +
    '[node name="Server" type="ChatServer" unique_id=11165687]\n\n' +
    '[node name="WebSocketServer" type="Node" parent="." unique_id=1069643141]\nscript = ExtResource("3_0eqsy")\n' +
    'supported_protocols = PackedStringArray("demo-chat")\n\n' +
    '[connection signal="client_connected" from="WebSocketServer" to="." method="_on_web_socket_server_client_connected"]\n' +
    '[connection signal="client_disconnected" from="WebSocketServer" to="." method="_on_web_socket_server_client_disconnected"]\n' +
    '[connection signal="message_received" from="WebSocketServer" to="." method="_on_web_socket_server_message_received"]\n';
  const { scene, warnings } = convertTscn(text, { file: path.join(dir, "server.tscn") });
  expect(scene.connections).toEqual([
    {
      from: "WebSocketServer",
      signal: "peerConnected",
      to: ".",
      method: "_onWebSocketServerClientConnected",
    },
    {
      from: "WebSocketServer",
      signal: "peerDisconnected",
      to: ".",
      method: "_onWebSocketServerClientDisconnected",
    },
    {
      from: "WebSocketServer",
      signal: "messageReceived",
      to: ".",
      method: "_onWebSocketServerMessageReceived",
    },
  ]);
  expect(warnings).toEqual([]);
});
