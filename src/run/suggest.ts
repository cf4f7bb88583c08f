import type * as Suggest from "../loader/suggest";

/**
 * The loader's did-you-mean, loaded on first use: only a mistake on the command line needs it, and
 * the CLI's main thread (a fleet's, above all) otherwise loads nothing of the loader.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | null {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../loader/suggest") as typeof Suggest).didYouMean(word, candidates);
}
