/**
 * Limits on what one scene file (with its sub-scenes) may ask the loader to do. A scene file is input,
 * often written by hand and sometimes by someone else: without limits a 10,000-level nesting overflows
 * the stack of every recursive step (validation, building, entering the tree), and a few sub-scenes
 * instanced 100 times each multiply into billions of nodes. Each limit ends in a `SceneError` with code
 * `ERR_LIMIT` that names the limit and how to raise it.
 */
export interface SceneLimits {
  /** Largest scene file, in bytes. Default 32 MiB (a 100,000-node scene is about 4 MiB). */
  maxFileBytes: number;
  /**
   * Deepest nesting of JSON arrays and objects in a file, checked before parsing. Default 2,100: room
   * for `maxDepth` levels of nodes (two JSON levels each) plus their props.
   */
  maxJsonNesting: number;
  /** Deepest node of the scene, the root being level 1 and instanced sub-scenes counted. Default 1,000. */
  maxDepth: number;
  /** Most nodes one instantiation may build, instanced sub-scenes counted. Default 250,000. */
  maxNodes: number;
  /**
   * Most bytes one load may read, over every scene file it reaches (the scene, its sub-scenes, the
   * `.tscn` files a conversion reads). Default 64 MiB. A file reached twice, by any path, counts once.
   */
  maxTotalBytes: number;
  /** Most scene files one load may read, the first one included. Default 1,000. */
  maxFiles: number;
  /**
   * Most problems one load reports. Default 1,000: past it one `ERR_LIMIT` says the rest are not
   * shown (a hostile file could otherwise ask for a million messages, each as long as it is deep).
   */
  maxProblems: number;
}

export const DEFAULT_SCENE_LIMITS: Readonly<SceneLimits> = Object.freeze({
  maxFileBytes: 32 * 1024 * 1024,
  maxJsonNesting: 2100,
  maxDepth: 1000,
  maxNodes: 250_000,
  maxTotalBytes: 64 * 1024 * 1024,
  maxFiles: 1000,
  maxProblems: 1000,
});

/** The defaults with the given overrides; an override that is not a positive number is ignored. */
export function resolveLimits(limits: Partial<SceneLimits> | undefined): SceneLimits {
  const resolved = { ...DEFAULT_SCENE_LIMITS };
  if (limits) {
    for (const key of Object.keys(DEFAULT_SCENE_LIMITS) as (keyof SceneLimits)[]) {
      const value = limits[key];
      if (typeof value === "number" && value > 0) resolved[key] = value;
    }
  }
  return resolved;
}

/**
 * Offset of the first `[` or `{` that opens level `max + 1` of nesting, or -1 when the text never nests
 * deeper than `max`. One pass, no recursion, strings (with their escapes) skipped: safe on any input,
 * valid JSON or not.
 */
export function firstTooDeep(text: string, max: number): number {
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      if (depth > 0) depth--;
    }
  }
  return -1;
}
