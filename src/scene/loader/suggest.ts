import { closest, distance } from "fastest-levenshtein";

/** The candidate `word` was most likely meant to be, or null when none is close enough to be a typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | null {
  const list = [...candidates];
  if (list.length === 0) return null;
  const lower = word.toLowerCase();
  const sameLetters = list.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  const best = closest(word, list);
  const d = distance(word, best);
  return d < word.length && d <= Math.max(2, Math.floor(word.length / 3)) ? best : null;
}

/** `Did you mean "x"? ` (or nothing) followed by `<what>: a, b, c.` */
export function suggestionHint(word: string, candidates: Iterable<string>, what: string): string {
  const list = [...candidates];
  const guess = didYouMean(word, list);
  const listed = list.length > 0 ? `${what}: ${list.join(", ")}.` : `There are no ${what.toLowerCase()}.`;
  return guess ? `Did you mean "${guess}"? ${listed}` : listed;
}
