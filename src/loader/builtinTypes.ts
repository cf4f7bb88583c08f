import { Node } from "../scene/Node";
import { InstancePlaceholder } from "../nodes/InstancePlaceholder";
import { markEngineClass } from "../scene/classInfo";
import { Timer } from "../nodes/Timer";
import { timerPropsSchema } from "../nodes/Timer.props";
import { nodePropsSchema } from "../nodes/nodeProps";
import { WebsocketClient } from "../nodes/WebsocketClient";
import { websocketClientPropsSchema } from "../nodes/WebsocketClient.props";
import { WebSocketNode } from "../nodes/WebSocketNode";
import { webSocketNodePropsSchema } from "../nodes/WebSocketNode.props";
import { WebSocketServer } from "../nodes/WebSocketServer";
import { webSocketServerPropsSchema } from "../nodes/WebSocketServer.props";
import { defaultNodeTypes, type NodeTypeRegistry } from "./registry";

/**
 * Registers the engine's own node types (Node, Timer, WebsocketClient, WebSocketNode, WebSocketServer)
 * in `registry`, the default one unless given. `src/index.ts` calls it once for the default registry;
 * calling it again is harmless (the same classes replace their own entries).
 */
export function registerBuiltinNodeTypes(registry: NodeTypeRegistry = defaultNodeTypes): void {
  registry.register("Node", Node, nodePropsSchema);
  registry.register("Timer", Timer, timerPropsSchema);
  registry.register("WebsocketClient", WebsocketClient, websocketClientPropsSchema);
  registry.register("WebSocketNode", WebSocketNode, webSocketNodePropsSchema);
  registry.register("WebSocketServer", WebSocketServer, webSocketServerPropsSchema);
  // What an instance loaded as placeholder becomes (its stored values are not its props).
  registry.register("InstancePlaceholder", InstancePlaceholder, nodePropsSchema);
  for (const engineClass of [Timer, WebsocketClient, WebSocketNode, WebSocketServer, InstancePlaceholder])
    markEngineClass(engineClass);
}
