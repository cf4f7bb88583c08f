/**
 * The live inspector: `startInspector(tree)` serves a page that shows the running tree and drives it.
 * This module is all that `scenetree` loads until someone starts an inspector; the server, its page
 * and its watchers are required on the first call.
 */
import type { SceneTree } from "../scene/SceneTree";

import type { Inspector, InspectorOptions } from "./options";

export type { Inspector, InspectorOptions } from "./options";

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
