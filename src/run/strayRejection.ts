import { describeThrown } from "../core/errors";
import { throwSite } from "../core/throwSite";

/**
 * While installed, each promise that rejects with nobody handling it (one no callback returned: the
 * tree reports those itself) is handed to `report` as one error line, and the program goes on: Node
 * would end the process, and in a fleet worker every bot it holds with it. Returns the uninstaller.
 */
export function onStrayRejection(report: (text: string) => void): () => void {
  const handler = (reason: unknown): void =>
    report(`ERROR: a promise rejected and nothing handled it: ${describeThrown(reason)}${throwSite(reason)}`);
  process.on("unhandledRejection", handler);
  return () => process.off("unhandledRejection", handler);
}
