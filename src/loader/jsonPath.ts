import { echoed } from "../core/echo";

/** One step into a JSON document: an object key or an array index. */
export type JsonPathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `["root", "children", 2, "props", "host"]` → `root.children[2].props.host`, as a person would write it. */
export function formatJsonPath(segments: readonly JsonPathSegment[]): string {
  let out = "";
  for (const segment of segments) out += formatSegment(segment, out.length === 0);
  return out;
}

function formatSegment(segment: JsonPathSegment, first: boolean): string {
  if (typeof segment === "number") return `[${segment}]`;
  const key = echoed(segment);
  if (IDENTIFIER.test(key)) return first ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

/**
 * A JSON path as a chain of links from the leaf up, so a child's path shares its parent's: walking a
 * scene 1,000 levels deep then costs one link per node instead of a 2,000-segment copy per node.
 */
export interface PathLink {
  readonly up: PathLink | null;
  readonly key: JsonPathSegment;
}

export function pathLink(up: PathLink | null, key: JsonPathSegment, ...more: JsonPathSegment[]): PathLink {
  let link: PathLink = { up, key };
  for (const next of more) link = { up: link, key: next };
  return link;
}

/** `segments` as links (null for the whole document). */
export function linkOf(segments: readonly JsonPathSegment[]): PathLink | null {
  let link: PathLink | null = null;
  for (const key of segments) link = { up: link, key };
  return link;
}

/** The segments from the document's top down to `link`, followed by `more`. */
export function segmentsOf(link: PathLink | null, ...more: JsonPathSegment[]): JsonPathSegment[] {
  const segments: JsonPathSegment[] = [];
  for (let l = link; l; l = l.up) segments.push(l.key);
  segments.reverse();
  for (const key of more) segments.push(key);
  return segments;
}

/**
 * {@link formatJsonPath} for a link, reusing the text of every link already formatted through `cache`:
 * problems deep in one scene share their ancestors, so each link is formatted once.
 */
export function formatPathLink(link: PathLink | null, cache: Map<PathLink, string>): string {
  const todo: PathLink[] = [];
  let l = link;
  for (; l && !cache.has(l); l = l.up) todo.push(l);
  let out = l ? cache.get(l)! : "";
  for (let i = todo.length - 1; i >= 0; i--) {
    out += formatSegment(todo[i].key, out.length === 0);
    cache.set(todo[i], out);
  }
  return out;
}
