import type { JsonSource, PositionTarget } from "./parseJson";
import { formatJsonPath, type JsonPathSegment } from "./jsonPath";
import type { SceneErrorCode, SceneProblem } from "./SceneError";

/** Collects the problems of one file, each located by its JSON path in that file's text. */
export class ProblemList {
  readonly items: SceneProblem[] = [];

  constructor(
    readonly file: string,
    private readonly source: JsonSource,
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
    this.items.push(...problems);
  }

  get size(): number {
    return this.items.length;
  }
}
