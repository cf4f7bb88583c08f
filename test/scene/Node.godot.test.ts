/**
 * Godot 4's tests/scene/test_node.cpp (commit 0fc2731e), translated case by case (SUBCASEs become
 * `it`s with the shared setup in `beforeEach`). Where Godot prints an error and returns an empty value,
 * scenetree throws a typed error (the README's misuse rule); those lines say so.
 *
 * Not translated: the "Processing checks" subcases of the input toggles (no input events), the two
 * TOOLS_ENABLED "Saving instance with exported nodes" subcases (in test/loader/pack.test.ts), and
 * "[SceneTree][Node][PackedScene] Nested arrays and dictionaries" (its values are `set_meta` metadata,
 * which scenetree objects do not have). Godot's TestNode has two internal children; scenetree has none.
 */
import { z } from "zod";
import { SceneTree } from "../../src/scene/SceneTree";
import { Node } from "../../src/scene/Node";
import { INTERNAL_PHYSICS_PROCESS, INTERNAL_PROCESS } from "../../src/scene/node/data";
import { nodePropsSchema } from "../../src/nodes/nodeProps";
import { registerNodeType, unregisterNodeType } from "../../src/loader/registry";
import { nodePathProp } from "../../src/nodes/propSchemas";

const FRAME = 1 / 60;

/** test_node.h's TestNode: counts its (internal) processing and records the order it ran in. */
class TestNode extends Node {
  internalProcessCounter = 0;
  internalPhysicsProcessCounter = 0;
  processCounter = 0;
  physicsProcessCounter = 0;
  exportedNode: Node | null = null;
  exportedNodes: Node[] = [];
  callbackList: Node[] | null = null;

  override [INTERNAL_PROCESS](): void {
    this.internalProcessCounter++;
    this.callbackList?.push(this);
  }
  override [INTERNAL_PHYSICS_PROCESS](): void {
    this.internalPhysicsProcessCounter++;
    this.callbackList?.push(this);
  }
  override _process(): void {
    this.processCounter++;
    this.callbackList?.push(this);
  }
  override _physicsProcess(): void {
    this.physicsProcessCounter++;
    this.callbackList?.push(this);
  }
}

let tree: SceneTree;
let root: Node;

beforeEach(() => {
  tree = new SceneTree({ fatalErrors: true });
  root = tree.root;
});

afterEach(() => tree.finalize());

describe("[SceneTree][Node] Testing node operations with a very simple scene tree", () => {
  let node: Node;

  beforeEach(() => {
    node = new Node();
    expect(root.getChildCount()).toBe(0);
    expect(tree.getNodeCount()).toBe(1);

    expect(node.name).toBe("");
    expect(node.isInsideTree()).toBe(false);
    expect(node.getParent()).toBeNull();
    // Godot: ERR_PRINT and an empty path.
    expect(() => node.getPath()).toThrow(expect.objectContaining({ code: "ERR_NOT_IN_TREE" }));
    expect(node.getChildCount()).toBe(0);

    root.addChild(node);

    expect(root.getChildCount()).toBe(1);
    expect(tree.getNodeCount()).toBe(2);
    expect(node.name).not.toBe("");
    expect(node.isInsideTree()).toBe(true);
    expect(node.getParent()).toBe(root);
    expect(node.getPath()).not.toBe("");
    expect(node.getChildCount()).toBe(0);
  });

  afterEach(() => node.free());

  it("Node should be accessible as first child", () => {
    expect(root.getChild(0)).toBe(node);
  });

  it("Node should be accessible via the node path", () => {
    expect(root.getNodeOrNull(node.getPath())).toBe(node);
    expect(root.getNodeOrNull("Node")).toBeNull();
    expect(root.getNodeOrNull("/root/Node")).toBeNull();
    node.name = "Node";
    expect(root.getNodeOrNull(node.getPath())).toBe(node);
    expect(root.getNodeOrNull("Node")).toBe(node);
    expect(root.getNodeOrNull("/root/Node")).toBe(node);
  });

  it("Node should be accessible via group", () => {
    expect(tree.getNodesInGroup("nodes")).toEqual([]);
    node.addToGroup("nodes");
    expect(tree.getNodesInGroup("nodes")).toEqual([node]);
  });

  it("Node should be possible to find", () => {
    expect(root.findChild("Node", true, false)).toBeNull();
    node.name = "Node";
    expect(root.findChild("Node", true, false)).toBe(node);
  });

  it("Node should be possible to remove", () => {
    root.removeChild(node);
    expect(root.getChildCount()).toBe(0);
    expect(tree.getNodeCount()).toBe(1);
    expect(node.isInsideTree()).toBe(false);
    expect(node.getParent()).toBeNull();
    expect(() => node.getPath()).toThrow(expect.objectContaining({ code: "ERR_NOT_IN_TREE" }));
  });

  it("Node should be possible to move", () => {
    root.moveChild(node, 0);
    expect(root.getChild(0)).toBe(node);
    expect(node.isInsideTree()).toBe(true);
  });

  it("Node should be possible to reparent", () => {
    node.reparent(root);
    expect(root.getChild(0)).toBe(node);
    expect(node.isInsideTree()).toBe(true);
  });

  it("Node should be possible to duplicate", () => {
    node.name = "MyName";
    const duplicate = node.duplicate();
    expect(duplicate).not.toBe(node);
    expect(duplicate.isInsideTree()).toBe(false);
    expect(duplicate.name).toBe(node.name);
    duplicate.free();
  });
});

describe("[SceneTree][Node] Testing node operations with a more complex simple scene tree", () => {
  let node1: Node;
  let node2: Node;
  let node1_1: Node;

  beforeEach(() => {
    node1 = new Node();
    node2 = new Node();
    node1_1 = new Node();
    root.addChild(node1);
    root.addChild(node2);
    node1.addChild(node1_1);

    expect(node1_1.isInsideTree()).toBe(true);
    expect(node1_1.getParent()).toBe(node1);
    expect(node1.getChildCount()).toBe(1);
    expect(root.getChildCount()).toBe(2);
    expect(tree.getNodeCount()).toBe(4);
  });

  afterEach(() => {
    node1_1.free();
    node1.free();
    node2.free();
  });

  it("Nodes should be accessible via get_child(..)", () => {
    expect(root.getChild(0)).toBe(node1);
    expect(root.getChild(1)).toBe(node2);
    expect(node1.getChild(0)).toBe(node1_1);
  });

  it("Removed nodes should also remove their children from the scene tree", () => {
    root.removeChild(node1);
    expect(node1.getChildCount()).toBe(1);
    expect(root.getChildCount()).toBe(1);
    expect(tree.getNodeCount()).toBe(2);
    expect(root.getChild(0)).toBe(node2);
  });

  it("Removed children nodes should not affect their parent in the scene tree", () => {
    node1.removeChild(node1_1);
    expect(node1_1.getParent()).toBeNull();
    expect(node1.getChildCount()).toBe(0);
    expect(tree.getNodeCount()).toBe(3);
  });

  it("Nodes should be in the expected order when a node is moved to the back", () => {
    root.moveChild(node1, 1);
    expect(root.getChild(0)).toBe(node2);
    expect(root.getChild(1)).toBe(node1);
  });

  it("Nodes should be in the expected order when a node is moved to the front", () => {
    root.moveChild(node2, 0);
    expect(root.getChild(0)).toBe(node2);
    expect(root.getChild(1)).toBe(node1);
  });

  it("Nodes should be in the expected order when reparented (remove/add)", () => {
    expect(node2.getChildCount()).toBe(0);
    node1.removeChild(node1_1);
    expect(node1.getChildCount()).toBe(0);
    expect(node1_1.getParent()).toBeNull();
    node2.addChild(node1_1);
    expect(node2.getChildCount()).toBe(1);
    expect(node1_1.getParent()).toBe(node2);
    expect(node2.getChild(0)).toBe(node1_1);
    expect(root.getChildCount()).toBe(2);
    expect(tree.getNodeCount()).toBe(4);
  });

  it("Nodes should be in the expected order when reparented", () => {
    expect(node2.getChildCount()).toBe(0);
    node1_1.reparent(node2);
    expect(node1.getChildCount()).toBe(0);
    expect(node2.getChildCount()).toBe(1);
    expect(node1_1.getParent()).toBe(node2);
    expect(node2.getChild(0)).toBe(node1_1);
    expect(root.getChildCount()).toBe(2);
    expect(tree.getNodeCount()).toBe(4);
  });

  it("Nodes should be possible to find", () => {
    expect(root.findChild("NestedNode", true, false)).toBeNull();
    expect(root.findChildren("NestedNode", "", true, false)).toEqual([]);
    node1.name = "Node1";
    node2.name = "Node2";
    node1_1.name = "NestedNode";
    expect(root.findChild("NestedNode", true, false)).toBe(node1_1);
    expect(root.findChildren("NestedNode", "", true, false)).toEqual([node1_1]);
    // First node that matches with the name is node1.
    expect(root.findChild("Node?", true, false)).toBe(node1);
    expect(root.findChildren("Node?", "", true, false)).toEqual([node1, node2]);
    root.moveChild(node2, 0);
    // It should be node2, as it is now the first one in the tree.
    expect(root.findChild("Node?", true, false)).toBe(node2);
    expect(root.findChildren("Node?", "", true, false)).toEqual([node2, node1]);
  });

  it("Nodes should be accessible via their node path", () => {
    expect(root.getNodeOrNull(node1.getPath())).toBe(node1);
    expect(root.getNodeOrNull(node2.getPath())).toBe(node2);
    expect(root.getNodeOrNull(node1_1.getPath())).toBe(node1_1);
    node1.name = "Node1";
    node1_1.name = "NestedNode";
    expect(node1.getNodeOrNull("NestedNode")).toBe(node1_1);
    expect(root.getNodeOrNull("/root/Node1/NestedNode")).toBe(node1_1);
    expect(root.getNodeOrNull("Node1/NestedNode")).toBe(node1_1);
  });

  it("Nodes should be accessible via their groups", () => {
    expect(tree.getNodesInGroup("nodes")).toEqual([]);
    expect(tree.getNodesInGroup("other_nodes")).toEqual([]);
    node1.addToGroup("nodes");
    node2.addToGroup("other_nodes");
    node1_1.addToGroup("nodes");
    node1_1.addToGroup("other_nodes");
    expect(tree.getNodesInGroup("nodes")).toEqual([node1, node1_1]);
    expect(tree.getNodesInGroup("other_nodes")).toEqual([node1_1, node2]);
    node1.removeFromGroup("nodes");
    expect(tree.getNodesInGroup("nodes")).toEqual([node1_1]);
  });

  it("Nodes added as siblings of another node should be right next to it", () => {
    node1.removeChild(node1_1);
    node1.addSibling(node1_1);
    expect(root.getChildCount()).toBe(3);
    expect(tree.getNodeCount()).toBe(4);
    expect(root.getChild(0)).toBe(node1);
    expect(root.getChild(1)).toBe(node1_1);
    expect(root.getChild(2)).toBe(node2);
  });

  it("Replaced nodes should be be removed and the replacing node added", () => {
    root.removeChild(node2);
    node1.replaceBy(node2);
    expect(root.getChildCount()).toBe(1);
    expect(tree.getNodeCount()).toBe(3);
    expect(node1.isInsideTree()).toBe(false);
    expect(node2.isInsideTree()).toBe(true);
    expect(node1.getParent()).toBeNull();
    expect(node2.getParent()).toBe(root);
    expect(node2.getChildCount()).toBe(1);
    expect(node2.getChild(0)).toBe(node1_1);
  });

  it("Replacing nodes should keep the groups of the replaced nodes", () => {
    root.removeChild(node2);
    node1.addToGroup("nodes");
    node1.replaceBy(node2, true);
    expect(tree.getNodesInGroup("nodes")).toEqual([node2]);
  });

  it("Duplicating a node should also duplicate the children", () => {
    node1.name = "MyName1";
    node1_1.name = "MyName1_1";
    const duplicate1 = node1.duplicate();
    expect(duplicate1.getChildCount()).toBe(node1.getChildCount());
    const duplicate1_1 = duplicate1.getChild(0)!;
    expect(duplicate1_1.getChildCount()).toBe(node1_1.getChildCount());
    expect(duplicate1.name).toBe(node1.name);
    expect(duplicate1_1.name).toBe(node1_1.name);
    expect(duplicate1.isInsideTree()).toBe(false);
    expect(duplicate1_1.isInsideTree()).toBe(false);
    duplicate1_1.free();
    duplicate1.free();
  });
});

describe("[SceneTree][Node] Duplicating node with internal children", () => {
  // GDREGISTER_CLASS(TestNode). Godot's TestNode adds two internal children in its constructor (one
  // INTERNAL_MODE_FRONT, one INTERNAL_MODE_BACK); scenetree has no internal children, so this TestNode
  // has none. get_child_count() leaves internal children out by default: 1 on both sides, as in Godot.
  beforeAll(() => registerNodeType("TestNode", TestNode, nodePropsSchema));
  afterAll(() => unregisterNodeType("TestNode"));

  it("keeps the child count and the user child", () => {
    const node = new TestNode();
    const child = new Node();
    child.name = "Child";
    node.addChild(child);

    const childCount = node.getChildCount();

    const dup = node.duplicate();
    expect(dup.getChildCount()).toBe(childCount);
    expect(dup.hasNode("Child")).toBe(true);

    node.free();
    dup.free();
  });
});

describe("[SceneTree][Node]Exported node checks", () => {
  // TestNode's exported properties: registered props are the ones duplicate() copies.
  beforeAll(() =>
    registerNodeType(
      "TestNode",
      TestNode,
      nodePropsSchema.extend({
        exportedNode: nodePathProp().optional(),
        exportedNodes: z.array(z.string()).optional(),
      }),
    ),
  );
  afterAll(() => unregisterNodeType("TestNode"));

  it("Property of duplicated node should point to duplicated child", () => {
    const node = new TestNode();
    root.addChild(node);
    const child = new Node("Child");
    node.addChild(child);
    child.owner = node;
    const child2 = new Node("Child2");
    node.addChild(child2);
    child2.owner = node;
    node.set("exportedNode", child);
    node.set("exportedNodes", [child]);

    const dup = node.duplicate<TestNode>();
    const newExported = dup.get("exportedNode");
    expect(newExported).toBe(dup.getChild(0, false));
    expect(dup.exportedNode).toBe(dup.getChild(0, false));
    expect(dup.exportedNodes).toEqual([dup.getChild(0, false)]);
    expect(dup.exportedNodes).not.toBe(node.exportedNodes);
    dup.free();
    node.free();
  });
});

describe("[Node] Processing checks", () => {
  let node: Node;
  beforeEach(() => (node = new Node()));
  afterEach(() => node.free());

  it("Processing", () => {
    expect(node.isProcessing()).toBe(false);
    node.setProcess(true);
    expect(node.isProcessing()).toBe(true);
    node.setProcess(false);
    expect(node.isProcessing()).toBe(false);
  });

  it("Physics processing", () => {
    expect(node.isPhysicsProcessing()).toBe(false);
    node.setPhysicsProcess(true);
    expect(node.isPhysicsProcessing()).toBe(true);
    node.setPhysicsProcess(false);
    expect(node.isPhysicsProcessing()).toBe(false);
  });

  it("Internal processing", () => {
    expect(node.isProcessingInternal()).toBe(false);
    node.setProcessInternal(true);
    expect(node.isProcessingInternal()).toBe(true);
    node.setProcessInternal(false);
    expect(node.isProcessingInternal()).toBe(false);
  });

  it("Process priority", () => {
    expect(node.processPriority).toBe(0);
    node.processPriority = 1;
    expect(node.processPriority).toBe(1);
  });

  it("Physics process priority", () => {
    expect(node.processPhysicsPriority).toBe(0);
    node.processPhysicsPriority = 1;
    expect(node.processPhysicsPriority).toBe(1);
  });
});

describe("[SceneTree][Node] Test the processing", () => {
  let node: TestNode;

  // SceneTree::process(0) and physics_process(0) are tree.process(0) and tree.physicsProcess(0).
  beforeEach(() => {
    node = new TestNode();
    root.addChild(node);
    node.setProcess(false); // TestNode overrides both virtuals: processing starts switched off here
    node.setPhysicsProcess(false);
  });
  afterEach(() => node.free());

  /** process_counter, physics_process_counter, internal_process_counter, internal_physics_process_counter. */
  const counters = () => [
    node.processCounter,
    node.physicsProcessCounter,
    node.internalProcessCounter,
    node.internalPhysicsProcessCounter,
  ];

  it("No process", () => {
    expect(node.processCounter).toBe(0);
    expect(node.physicsProcessCounter).toBe(0);
  });

  it("Process", () => {
    node.setProcess(true);
    tree.process(0);
    expect(counters()).toEqual([1, 0, 0, 0]);
  });

  it("Physics process", () => {
    node.setPhysicsProcess(true);
    tree.physicsProcess(0);
    expect(counters()).toEqual([0, 1, 0, 0]);
  });

  it("Normal and physics process", () => {
    node.setProcess(true);
    node.setPhysicsProcess(true);
    tree.process(0);
    tree.physicsProcess(0);
    expect(counters()).toEqual([1, 1, 0, 0]);
  });

  it("Internal, normal and physics process", () => {
    node.setProcessInternal(true);
    node.setPhysicsProcessInternal(true);
    tree.process(0);
    tree.physicsProcess(0);
    expect(counters()).toEqual([0, 0, 1, 1]);
  });

  it("All processing", () => {
    node.setProcess(true);
    node.setPhysicsProcess(true);
    node.setProcessInternal(true);
    node.setPhysicsProcessInternal(true);
    tree.process(0);
    tree.physicsProcess(0);
    expect(counters()).toEqual([1, 1, 1, 1]);
  });

  it("All processing twice", () => {
    node.setProcess(true);
    node.setPhysicsProcess(true);
    node.setProcessInternal(true);
    node.setPhysicsProcessInternal(true);
    tree.process(0);
    tree.physicsProcess(0);
    tree.process(0);
    tree.physicsProcess(0);
    expect(counters()).toEqual([2, 2, 2, 2]);
  });

  it("Enable and disable processing", () => {
    node.setProcess(true);
    node.setPhysicsProcess(true);
    node.setProcessInternal(true);
    node.setPhysicsProcessInternal(true);
    tree.process(0);
    tree.physicsProcess(0);

    node.setProcess(false);
    node.setPhysicsProcess(false);
    node.setProcessInternal(false);
    node.setPhysicsProcessInternal(false);
    tree.process(0);
    tree.physicsProcess(0);
    expect(counters()).toEqual([1, 1, 1, 1]);
  });

  it("a whole frame (tree.step) runs both steps", () => {
    node.setProcess(true);
    node.setPhysicsProcess(true);
    node.setProcessInternal(true);
    node.setPhysicsProcessInternal(true);
    tree.step(FRAME); // one physics tick's worth: one physics step, then the idle step
    expect(counters()).toEqual([1, 1, 1, 1]);
  });
});

describe("[SceneTree][Node] Test the process priority", () => {
  let order: Node[];
  let nodes: TestNode[];

  beforeEach(() => {
    order = [];
    nodes = [0, 1, 2, 3].map(() => {
      const node = new TestNode();
      node.callbackList = order;
      root.addChild(node);
      node.setProcess(false);
      node.setPhysicsProcess(false);
      return node;
    });
  });
  afterEach(() => nodes.forEach((n) => n.free()));

  it("Process priority", () => {
    const [node, node2, node3, node4] = nodes;
    [20, 10, 40, 30].forEach((priority, i) => {
      nodes[i].setProcess(true);
      nodes[i].processPriority = priority;
    });
    tree.process(0);
    expect(order).toEqual([node2, node, node4, node3]);
  });

  it("Physics process priority", () => {
    const [node, node2, node3, node4] = nodes;
    [20, 10, 40, 30].forEach((priority, i) => {
      nodes[i].setPhysicsProcess(true);
      nodes[i].processPhysicsPriority = priority;
    });
    tree.physicsProcess(0);
    expect(order).toEqual([node2, node, node4, node3]);
  });
});
