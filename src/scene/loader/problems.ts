import type { JsonSource, PositionTarget } from "./parseJson";
import { formatJsonPath, type JsonPathSegment } from "./jsonPath";
import type { SceneErrorCode, SceneProblem } from "./SceneError";
import { SuggestionBudget } from "./suggest";

export { SuggestionBudget };

/** Collects the problems of one file, each located by its JSON path in that file's text. */
export class ProblemList {
  readonly items: SceneProblem[] = [];

  constructor(
    readonly file: string,
    private readonly source: JsonSource,
    /** Shared by every file of one load: what the did-you-mean hints may still cost. */
    readonly suggestions: SuggestionBudget = new SuggestionBudget(),
  ) {}

  add(
    code: SceneErrorCode,
    segments: readonly JsonPathSegment[],
    message: string,
    hint: string,
    target: PositionTarget = "value",
  ): void {
    const { line, column } = this.source.positionOf(segments, target);
    this.items.push({ code, file: this.file, line, column, path: formatJsonPath(segments), message, hint });
  }

  /** Problems found elsewhere (a sub-scene) that make this file fail too. */
  addAll(problems: readonly SceneProblem[]): void {
    for (const problem of problems) this.items.push(problem);
  }

  get size(): number {
    return this.items.length;
  }
}
