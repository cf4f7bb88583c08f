import type { JsonSource, PositionTarget } from "./parseJson";
import { formatPathLink, linkOf, type JsonPathSegment, type PathLink } from "./jsonPath";
import { DEFAULT_SCENE_LIMITS } from "./limits";
import { MESSAGES, type LoaderMessage } from "./messages";
import type { SceneErrorCode, SceneProblem } from "./SceneError";
import { SuggestionBudget } from "./suggest";

/**
 * What reporting may still cost in one load, shared by all its files: how many problems are kept
 * (each names a JSON path that can be as long as the scene is deep) and the did-you-mean budget.
 */
export class ReportBudget {
  problems = 0;
  overflowed = false;

  constructor(
    readonly maxProblems: number = DEFAULT_SCENE_LIMITS.maxProblems,
    readonly suggestions: SuggestionBudget = new SuggestionBudget(),
  ) {}
}

/** Collects the problems of one file, each located by its JSON path in that file's text. */
export class ProblemList {
  readonly items: SceneProblem[] = [];
  /** Problems found past the load's `maxProblems`: counted (the file is invalid), not kept. */
  private dropped = 0;
  private readonly paths = new Map<PathLink, string>();

  constructor(
    readonly file: string,
    private readonly source: JsonSource,
    private readonly budget: ReportBudget = new ReportBudget(),
  ) {}

  get suggestions(): SuggestionBudget {
    return this.budget.suggestions;
  }

  /** `at`: the offending value's path, as segments or (cheaper deep in a scene) as a link. */
  add(
    code: SceneErrorCode,
    at: readonly JsonPathSegment[] | PathLink | null,
    message: string,
    hint: string,
    target: PositionTarget = "value",
  ): void {
    if (this.budget.problems >= this.budget.maxProblems) {
      this.dropped++;
      if (this.budget.overflowed) return;
      this.budget.overflowed = true;
      ({ code, message, hint } = MESSAGES.ERR_LIMIT.problems(this.budget.maxProblems));
    }
    this.budget.problems++;
    const link = at === null || !Array.isArray(at) ? (at as PathLink | null) : linkOf(at);
    const { line, column } = this.source.positionOfLink(link, target);
    const path = formatPathLink(link, this.paths);
    this.items.push({ code, file: this.file, line, column, path, message, hint });
  }

  /** A problem of the catalog (see messages.ts) at `at`. */
  report(
    at: readonly JsonPathSegment[] | PathLink | null,
    problem: LoaderMessage,
    target: PositionTarget = "value",
  ): void {
    this.add(problem.code, at, problem.message, problem.hint, target);
  }

  /** Problems found elsewhere (a `.tscn` this file was converted from) that make this file fail too. */
  addAll(problems: readonly SceneProblem[]): void {
    for (const problem of problems) {
      this.budget.problems++;
      this.items.push(problem);
    }
  }

  get size(): number {
    return this.items.length + this.dropped;
  }
}
