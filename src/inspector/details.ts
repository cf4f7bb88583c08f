import { ProcessMode, type Node } from "../scene/Node";
import { readProps, type PropInfo } from "./props";
import { describeSignals, type SignalView } from "./signals";
import { typeInfoOf } from "./nodeTypes";
import { wsView, type WsRates, type WsView } from "./wsNodes";

export interface NodeDetails {
  id: number;
  name: string;
  path: string;
  /** The class (a script's own class, or the built-in one). */
  cls: string;
  /** The registered type its props come from (null: not registered, no props). */
  type: string | null;
  owner: string | null;
  groups: string[];
  processMode: string;
  processPriority: number;
  processPhysicsPriority: number;
  /** Whether `_process` / `_physicsProcess` are on, and whether the node may run now (pause, mode). */
  processing: { process: boolean; physics: boolean; canProcess: boolean };
  props: PropInfo[];
  signals: SignalView[];
  ws: WsView | null;
}

/** Everything the page shows about one node, as plain data. */
export function nodeDetails(id: number, node: Node, now: number, rates: WsRates): NodeDetails {
  const info = typeInfoOf(node);
  const owner = node.owner;
  return {
    id,
    name: node.name,
    path: node.getPath(),
    cls: node.constructor.name || "(anonymous class)",
    type: info?.name ?? null,
    owner: owner === null ? null : owner.isInsideTree() ? owner.getPath() : owner.name,
    groups: node.getGroups(),
    processMode: ProcessMode[node.processMode] ?? String(node.processMode),
    processPriority: node.processPriority,
    processPhysicsPriority: node.processPhysicsPriority,
    processing: {
      process: node.isProcessing(),
      physics: node.isPhysicsProcessing(),
      canProcess: node.isInsideTree() && node.canProcess(),
    },
    props: info ? readProps(node, info) : [],
    signals: describeSignals(node),
    ws: wsView(node, now, rates),
  };
}
