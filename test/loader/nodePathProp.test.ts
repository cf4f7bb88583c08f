import { z } from "zod";
import {
  Node,
  nodePathProp,
  nodePropsSchema,
  parseScene,
  registerNodeType,
  SceneError,
  Timer,
  unregisterNodeType,
  WebsocketClient,
} from "../../src";

/** `true` only when A and B are the same type (not merely assignable). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

const pilotProps = nodePropsSchema.extend({
  client: nodePathProp(WebsocketClient).optional(),
  clock: nodePathProp(Timer).optional(),
  typedOnly: nodePathProp<Timer>().optional(),
  anyNode: nodePathProp().optional(),
});
type PilotProps = z.infer<typeof pilotProps>;

/** Fields typed from the props schema: the loader assigns the nodes, no cast anywhere. */
class Pilot extends Node {
  client: PilotProps["client"] = undefined;
  clock: PilotProps["clock"] = undefined;
  typedOnly: PilotProps["typedOnly"] = undefined;
  anyNode: PilotProps["anyNode"] = undefined;

  /** Uses the resolved nodes as what they are. */
  describe(): string {
    return `${this.clock?.waitTime ?? "-"} ${this.client?.connectionUrl ?? "-"} ${this.anyNode?.name ?? "-"}`;
  }
}

class FastTimer extends Timer {}

const scene = (props: Record<string, string>, children: unknown[]) =>
  JSON.stringify({ format: 1, root: { name: "Pilot", type: "Pilot", props, children } });

describe("nodePathProp typed by the node it resolves to", () => {
  beforeAll(() => {
    registerNodeType("Pilot", Pilot, pilotProps);
    registerNodeType("FastTimer", FastTimer);
  });
  afterAll(() => {
    unregisterNodeType("Pilot");
    unregisterNodeType("FastTimer");
  });

  test("zod infers the node type for the props, the path string for the scene file", () => {
    const output: [
      Equals<PilotProps["client"], WebsocketClient | undefined>,
      Equals<PilotProps["clock"], Timer | undefined>,
      Equals<PilotProps["typedOnly"], Timer | undefined>,
      Equals<PilotProps["anyNode"], Node | undefined>,
      Equals<z.input<typeof pilotProps>["client"], string | undefined>,
    ] = [true, true, true, true, true];
    expect(output).toEqual([true, true, true, true, true]);
    // @ts-expect-error a Timer is not a WebsocketClient
    const wrong: PilotProps["client"] = new Timer();
    wrong?.free();
  });

  test("the loader assigns the nodes themselves", () => {
    const root = parseScene(
      scene({ clock: "Tick", typedOnly: "Tick", anyNode: ".", client: "Client" }, [
        { name: "Tick", type: "Timer", props: { waitTime: 3 } },
        { name: "Client", type: "WebsocketClient", props: { connectionUrl: "ws://127.0.0.1:1/" } },
      ]),
    ).instantiate<Pilot>();
    expect(root.clock).toBe(root.getNode("Tick"));
    expect(root.client).toBe(root.getNode("Client"));
    expect(root.describe()).toBe("3 ws://127.0.0.1:1/ Pilot");
    root.free();
  });

  test("with a class, a path to another kind of node is an error when the scene is validated", () => {
    const error = (() => {
      try {
        parseScene(scene({ clock: "Other" }, [{ name: "Other", type: "Node" }]));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SceneError);
    expect((error as SceneError).problems).toEqual([
      expect.objectContaining({
        code: "ERR_BAD_NODE_PATH",
        path: "root.props.clock",
        message: '"Other" is a Node; this prop takes a Timer.',
        hint: "Point it at a Timer node (or one of a type that extends it).",
      }),
    ]);
  });

  test('":" names no node, as getNode(":") finds none: an error when the scene is validated', () => {
    expect(() => parseScene(scene({ anyNode: ":" }, []))).toThrow(
      expect.objectContaining({ code: "ERR_BAD_NODE_PATH", path: "root.props.anyNode" }),
    );
  });

  test("a subclass of the class will do; the type-only form checks nothing at run time", () => {
    const root = parseScene(
      scene({ clock: "Fast", typedOnly: "Plain" }, [
        { name: "Fast", type: "FastTimer" },
        { name: "Plain", type: "Node" },
      ]),
    ).instantiate<Pilot>();
    expect(root.clock).toBeInstanceOf(FastTimer);
    expect(root.typedOnly).toBe(root.getNode("Plain"));
    root.free();
  });

  test("the JSON Schema still describes a path string, naming the class", () => {
    const json = z.toJSONSchema(pilotProps, { io: "input" }) as { properties: Record<string, unknown> };
    expect(json.properties.clock).toEqual({
      type: "string",
      minLength: 1,
      description: 'NodePath to a Timer of this scene, relative to this node ("../Timer", "%Name").',
    });
  });
});
