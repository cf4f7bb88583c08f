import { pathLink, segmentsOf, type JsonPathSegment, type PathLink } from "./jsonPath";
import { firstTooDeep, type SceneLimits } from "./limits";
import { JsonSource, parseJsonWithPositions } from "./parseJson";
import { ProblemList, type ReportBudget } from "./problems";
import { SceneError } from "./SceneError";

/** A place in a scene file that names another file: an `"instance"` or an entry of `"scripts"`. */
export interface Reference {
  ref: string;
  at: JsonPathSegment[];
}

/** A scene file's JSON, with what it refers to. */
export interface ParsedScene {
  raw: unknown;
  source: JsonSource;
  problems: ProblemList;
  instances: Reference[];
  scripts: Reference[];
}

/**
 * Parses one scene file's text: size and nesting first (so every later step may recurse safely), then
 * the JSON, then the references it makes. Throws a SceneError when nothing more can be known (too
 * big, too deep, not JSON). `quote`: whether a syntax error may show a few characters of the text.
 */
export function parseSceneText(
  text: string,
  file: string,
  limits: SceneLimits,
  options: { quote: boolean; report: ReportBudget },
): ParsedScene {
  checkTextLimits(text, file, limits);
  const result = parseJsonWithPositions(text, options.quote);
  if (!result.ok) {
    throw new SceneError([
      {
        code: "ERR_JSON_SYNTAX",
        file,
        ...result.position,
        path: "",
        message: `Invalid JSON: ${result.message}.`,
        hint: "Scene files are strict JSON: double-quoted keys and strings, no comments, no trailing commas.",
      },
    ]);
  }
  const raw = result.value as Record<string, unknown> | null;
  const parsed: ParsedScene = {
    raw,
    source: result.source,
    problems: new ProblemList(file, result.source, options.report),
    instances: [],
    scripts: [],
  };
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    collectInstances(raw.root, parsed.instances);
    if (Array.isArray(raw.scripts)) {
      raw.scripts.forEach((ref, i) => {
        if (typeof ref === "string" && ref.length > 0) parsed.scripts.push({ ref, at: ["scripts", i] });
      });
    }
  }
  return parsed;
}

function checkTextLimits(text: string, file: string, limits: SceneLimits): void {
  const tooBig =
    text.length > limits.maxFileBytes ||
    (text.length * 3 > limits.maxFileBytes && Buffer.byteLength(text) > limits.maxFileBytes);
  if (tooBig)
    throw limitError(file, `The scene file is larger than ${limits.maxFileBytes} bytes.`, FILE_HINT);
  const offset = firstTooDeep(text, limits.maxJsonNesting);
  if (offset === -1) return;
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const { line, column } = new JsonSource(text.slice(bom)).positionAt(offset - bom);
  throw new SceneError([
    {
      code: "ERR_LIMIT",
      file,
      line,
      column,
      path: "",
      message: `Arrays and objects are nested deeper than ${limits.maxJsonNesting} levels here.`,
      hint: "Flatten the scene, or raise the limit: loadScene(file, { limits: { maxJsonNesting } }).",
    },
  ]);
}

export const FILE_HINT =
  "Split it into sub-scenes, or raise the limit: loadScene(file, { limits: { maxFileBytes } }).";

/** An ERR_LIMIT about a whole file, at its first character. */
export function limitError(file: string, message: string, hint: string): SceneError {
  return new SceneError([{ code: "ERR_LIMIT", file, line: 1, column: 1, path: "", message, hint }]);
}

/** Every `"instance"` string under `root`, in file order; no recursion, paths built only for hits. */
function collectInstances(root: unknown, out: Reference[]): void {
  const stack: Array<{ node: unknown; at: PathLink }> = [{ node: root, at: pathLink(null, "root") }];
  while (stack.length > 0) {
    const { node, at } = stack.pop()!;
    if (node === null || typeof node !== "object" || Array.isArray(node)) continue;
    const { instance, children, editable, placeholder } = node as Record<string, unknown>;
    // A placeholder's sub-scene is read when createInstance() asks for it, not with the scene.
    if (typeof instance === "string" && instance.length > 0 && placeholder !== true)
      out.push({ ref: instance, at: segmentsOf(at, "instance") });
    if (Array.isArray(children)) {
      for (let i = children.length - 1; i >= 0; i--)
        stack.push({ node: children[i], at: pathLink(at, "children", i) });
    }
    if (editable !== null && typeof editable === "object" && !Array.isArray(editable))
      pushEditedChildren(editable as Record<string, unknown>, at, stack);
  }
}

/** The children `"editable"` entries add inside an instance: they may instance scenes too. */
function pushEditedChildren(
  editable: Record<string, unknown>,
  at: PathLink,
  stack: Array<{ node: unknown; at: PathLink }>,
): void {
  const keys = Object.keys(editable);
  for (let k = keys.length - 1; k >= 0; k--) {
    const entry = editable[keys[k]];
    if (entry === null || typeof entry !== "object") continue;
    const children = (entry as Record<string, unknown>).children;
    if (!Array.isArray(children)) continue;
    for (let i = children.length - 1; i >= 0; i--)
      stack.push({ node: children[i], at: pathLink(at, "editable", keys[k], "children", i) });
  }
}
