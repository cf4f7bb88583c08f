/**
 * The inspector's wire protocol: JSON text frames. The page may send only the messages below; anything
 * else (another shape, an unknown `t`, an oversized frame) is answered with an error and changes
 * nothing. There is deliberately no message that evaluates code or calls a method by name.
 */
import { z } from "zod";

/** Longest text `wsSend` forwards to a WebSocket node. */
export const MAX_SEND_TEXT = 64 * 1024;
/** Largest frame the page may send (a `wsSend` text plus its envelope). */
export const MAX_CLIENT_FRAME = MAX_SEND_TEXT + 4096;

/** Longest string prop value the page may set (a longer string prop is shown shortened, read-only). */
export const MAX_PROP_TEXT = 4096;

/** Most instances one `instances` answer lists. */
export const MAX_INSTANCE_PAGE = 200;

const id = z.int().min(1);
const req = z.int().min(0).optional();
const propValue = z.union([z.number(), z.boolean(), z.string().max(MAX_PROP_TEXT)]);

export const clientMessageSchema = z.discriminatedUnion("t", [
  /** First message: the token from the page's URL fragment. */
  z.strictObject({ t: z.literal("hello"), token: z.string().max(256) }),
  /** Show this node's details (and keep them live); null clears the selection. */
  z.strictObject({ t: z.literal("select"), id: id.nullable() }),
  /** Sets one prop of the node's registered props schema, validated by that schema. */
  z.strictObject({ t: z.literal("setProp"), req, id, name: z.string().max(128), value: propValue }),
  /** Holds the frame loop (`SceneTree.setSuspend`). */
  z.strictObject({ t: z.literal("suspend"), on: z.boolean() }),
  /** While suspended: runs exactly one frame. */
  z.strictObject({ t: z.literal("nextFrame"), req }),
  /** The game's own pause (`SceneTree.paused`). */
  z.strictObject({ t: z.literal("setPaused"), on: z.boolean() }),
  /** One of the WebSocket node buttons. */
  z.strictObject({
    t: z.literal("ws"),
    req,
    id,
    action: z.enum(["open", "close", "drop", "send"]),
    text: z.string().max(MAX_SEND_TEXT).optional(),
  }),
  /** Members of a group (the group filter), or every group name when `group` is omitted. */
  z.strictObject({ t: z.literal("group"), req, group: z.string().max(256).optional() }),
  /** Picks the instance of a fleet the page shows (its tree, its buttons). */
  z.strictObject({ t: z.literal("instance"), index: z.int().min(0) }),
  /** One page of a fleet's instance list: those in `state` whose index contains `query`. */
  z.strictObject({
    t: z.literal("instances"),
    req,
    offset: z.int().min(0).optional(),
    limit: z.int().min(1).max(MAX_INSTANCE_PAGE).optional(),
    state: z.enum(["pending", "running", "finished", "failed"]).optional(),
    query: z
      .string()
      .regex(/^\d{0,10}$/, "query: digits of an instance index")
      .optional(),
  }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** One node as the page's tree knows it: id, parent id (0 for the root), name, index into `types`. */
export type NodeRow = [id: number, parent: number, name: string, type: number];

export interface FrameStats {
  /** `tree.getFrame()`. */
  frame: number;
  /** Frames per second over the last second of wall time. */
  fps: number;
  /** Milliseconds each frame since the last message took to compute (at most 240). */
  times: number[];
  suspended: boolean;
  paused: boolean;
}

export interface TreeDiff {
  /** New nodes and nodes that moved to another parent. */
  nodes: NodeRow[];
  /** Nodes that left the tree (each one listed, descendants included). */
  removed: number[];
  /** The full child list of every parent whose children changed (added, removed, moved). */
  order: [parent: number, children: number[]][];
  /** Renamed nodes. */
  names: [id: number, name: string][];
}

/** Where an instance of a fleet is in its life. */
export type InstanceState = "pending" | "running" | "finished" | "failed";

/** The answer to `instances`. */
export interface InstancePage {
  ok: true;
  /** Instances this process runs (its shard's). */
  total: number;
  /** Those that match the state and query. */
  matched: number;
  offset: number;
  items: [index: number, state: InstanceState][];
  counts: Record<InstanceState, number>;
}
