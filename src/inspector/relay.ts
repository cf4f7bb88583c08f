/**
 * How a fleet's inspector reaches a tree in a worker thread. The page's socket ends in the main thread
 * (token, Origin and host checks all happen there); each page the main thread lets through is a
 * numbered relay to the worker that runs the instance it picked, where an inspector core is attached to
 * that one tree. Only the picked instances are watched; every other tree carries nothing.
 *
 *   main → worker: `attach` (page, index), then its `message`s, `stale`/`resync`, `detach`;
 *                  `metrics` on/off (trend histograms for the fleet charts, while any page is open)
 *   worker → main: `page` (a message for that page, as a lone tree's inspector would send it),
 *                  `closed` (the instance quit or is not running), `trends` once a second while on
 *
 * Everything is plain structured-clone data.
 */
import type { TrendData } from "../metrics/data";
import type { ClientMessage } from "./protocol";

export type ToAgent =
  | { op: "attach"; page: number; index: number }
  | { op: "detach"; page: number }
  | { op: "message"; page: number; message: ClientMessage }
  /** The page's socket is backed up: send it nothing until `resync`. */
  | { op: "stale"; page: number }
  /** The page's socket has drained: send it a fresh snapshot. */
  | { op: "resync"; page: number }
  /**
   * Repeated to a worker once its run begins (it drops messages before then): turning on twice is a
   * no-op.
   */
  | { op: "metrics"; on: boolean };

export type FromAgent =
  | { op: "page"; page: number; index: number; message: object }
  | { op: "closed"; page: number; index: number; reason: string }
  /** The worker's trends (all its trees share one registry): only those that changed since the last. */
  | { op: "trends"; trends: Record<string, TrendData> };

/** How often a worker sends its trends while a page is open. */
export const TRENDS_INTERVAL_MS = 1000;
