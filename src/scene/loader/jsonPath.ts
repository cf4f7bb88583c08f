/** One step into a JSON document: an object key or an array index. */
export type JsonPathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `["root", "children", 2, "props", "host"]` → `root.children[2].props.host`, as a person would write it. */
export function formatJsonPath(segments: readonly JsonPathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out.length === 0 ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/**
 * A JSON path as a chain of links from the leaf up, so a child's path shares its parent's: walking a
 * scene 1,000 levels deep then costs one link per node instead of a 2,000-segment copy per node.
 */
export interface PathLink {
  readonly up: PathLink | null;
  readonly key: JsonPathSegment;
}

export function pathLink(up: PathLink | null, ...keys: JsonPathSegment[]): PathLink {
  let link = up;
  for (const key of keys) link = { up: link, key };
  return link!;
}

/** The segments from the document's top down to `link`, followed by `more`. */
export function segmentsOf(link: PathLink | null, ...more: JsonPathSegment[]): JsonPathSegment[] {
  const segments: JsonPathSegment[] = [];
  for (let l = link; l; l = l.up) segments.push(l.key);
  segments.reverse();
  for (const key of more) segments.push(key);
  return segments;
}
