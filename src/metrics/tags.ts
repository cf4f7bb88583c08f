/** Tags on one sample. Numbers and booleans are kept as their string form, as k6 does. */
export type Tags = Readonly<Record<string, string | number | boolean>>;

/** A tag set as stored: string values, keys in sorted order. */
export type TagSet = Readonly<Record<string, string>>;

/** Sorted keys, string values: two objects with the same tags give the same set and the same key. */
export function normalizeTags(tags: Tags): TagSet {
  const keys = Object.keys(tags);
  if (keys.length > 1) keys.sort();
  const out: Record<string, string> = {};
  for (const key of keys) out[key] = String(tags[key]);
  return out;
}

/**
 * A map key for the tag set of `tags`, in any key order and before `normalizeTags`: the hot path of a
 * tagged sample makes no object. Each key and value is length-prefixed, so no text inside a value can
 * make two tag sets collide.
 */
export function tagSetKey(tags: Tags): string {
  const keys = Object.keys(tags);
  if (keys.length > 1) keys.sort();
  let key = "";
  for (const k of keys) {
    const v = String(tags[k]);
    key += `${k.length}:${k}${v.length}:${v}`;
  }
  return key;
}

/** True when `tags` has every tag of `selector` with the same value (k6's sub-metric rule). */
export function tagsMatch(tags: TagSet, selector: TagSet): boolean {
  for (const key in selector) if (tags[key] !== selector[key]) return false;
  return true;
}

/** `{ url:ws://a, room:1 }`, as k6 prints sub-metrics. */
export function formatTagSet(tags: TagSet): string {
  const parts = Object.entries(tags).map(([k, v]) => `${k}:${v}`);
  return `{ ${parts.join(", ")} }`;
}
