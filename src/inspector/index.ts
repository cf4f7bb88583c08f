/**
 * The live inspector: `startInspector(tree)` serves a page that shows the running tree and drives it.
 * This module is all that `scenetree` loads until someone starts an inspector; the server, its page
 * and its watchers are required on the first call.
 */
import type { SceneTree } from "../scene/SceneTree";

export interface InspectorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). Anything but loopback exposes the tree to the network. */
  host?: string;
}

export interface Inspector {
  /** The page's address with its access token: `http://127.0.0.1:PORT/#token=…`. */
  readonly url: string;
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Disconnects every page, stops listening and stops watching the tree. */
  close(): Promise<void>;
}

/**
 * Starts the inspector for `tree`: one HTTP + WebSocket server inside this process. The page needs the
 * random token in the URL's fragment; see the README's Inspector section for what it shows and the
 * Security section for what it exposes.
 */
export function startInspector(tree: SceneTree, options: InspectorOptions = {}): Promise<Inspector> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startInspectorServer } = require("./server") as typeof import("./server");
  return startInspectorServer(tree, options);
}
