import { echoedWords } from "../core/echo";
import type { SceneErrorCode, SceneProblem } from "./SceneError";

/**
 * Every problem the loader reports, in one place keyed by its code: each builder gives the message
 * (what is wrong, naming the value) and the hint (what to do about it). Modules pick a builder and
 * say where; the words live here, so one code reads alike wherever it is found, and a new message is
 * written next to the others of its code.
 */
export interface LoaderMessage {
  readonly code: SceneErrorCode;
  readonly message: string;
  readonly hint: string;
}

/** The problem at a place in `file` (1-based line and column; `path` "" for the whole file). */
export function located(problem: LoaderMessage, file: string, line = 1, column = 1, path = ""): SceneProblem {
  return { code: problem.code, file, line, column, path, message: problem.message, hint: problem.hint };
}

type Builders = Record<string, (...args: never[]) => readonly [message: string, hint: string]>;
type Catalog<B> = {
  readonly [K in keyof B]: B[K] extends (...args: infer A) => unknown ? (...args: A) => LoaderMessage : never;
};

/** Each builder of the table made to return its problem, the code being the key it is listed under. */
function catalog<T extends { readonly [C in SceneErrorCode]?: Builders }>(
  table: T,
): { readonly [C in keyof T]: Catalog<T[C]> } {
  const out: Record<string, Record<string, (...args: never[]) => LoaderMessage>> = {};
  for (const [code, builders] of Object.entries(table) as Array<[SceneErrorCode, Builders]>) {
    out[code] = {};
    for (const [name, build] of Object.entries(builders)) {
      const problem = (...args: never[]) => {
        const [message, hint] = build(...args);
        // The words may quote the user's input, of any length: an overlong name is repeated cut short.
        return { code, message: echoedWords(message), hint: echoedWords(hint) };
      };
      // The builder's own arity, for whoever lists the catalog.
      out[code][name] = Object.defineProperty(problem, "length", { value: build.length });
    }
  }
  return out as { readonly [C in keyof T]: Catalog<T[C]> };
}

const EXAMPLE_HINT = 'A scene file looks like { "format": 1, "root": { "name": "Main", "type": "Node" } }.';
const THRESHOLDS_HINT =
  'Thresholds are k6\'s <method> <operator> <value> by metric: { "ws_connecting": ["p(95)<500"], "errors": ["count<1"] }.';
const NODE_HINT =
  'A node looks like { "name": "Main", "type": "Node" } or { "instance": "./other.scene.json" }.';
const CONNECTION_HINT =
  'A connection looks like { "from": "Timer", "signal": "timeout", "to": ".", "method": "onTimeout" }.';
const FILE_HINT =
  "Split it into sub-scenes, or raise the limit: loadScene(file, { limits: { maxFileBytes } }).";
const UNREADABLE_HINT = "A scene file must be a regular file that can be read.";

/**
 * Why a file was not read (a ReadRefusal's detail): the loader's problems and the `.tscn` importer's
 * errors both quote these.
 */
export const REFUSALS = {
  fileCount: (max: number) => `This load reaches more than ${max} scene files.`,
  fileBytes: (max: number) => `The scene file is larger than ${max} bytes.`,
  totalBytes: (max: number) => `The scene files of this load add up to more than ${max} bytes.`,
  notAFile: () => "It is not a regular file.",
  notFound: () => "Not found.",
  unreadable: (reason: string) => `It can't be read (${reason}).`,
};

/** What to do about a file that was not read (a ReadRefusal's kind). */
export function refusalHint(kind: string): string {
  switch (kind) {
    case "total-bytes":
      return "Use fewer or smaller sub-scenes, or raise the limit: loadScene(file, { limits: { maxTotalBytes } }).";
    case "file-count":
      return "Use fewer distinct sub-scenes, or raise the limit: loadScene(file, { limits: { maxFiles } }).";
    case "file-too-big":
      return FILE_HINT;
    default:
      return UNREADABLE_HINT;
  }
}

export const MESSAGES = catalog({
  ERR_JSON_SYNTAX: {
    invalidJson: (detail: string) => [
      `Invalid JSON: ${detail}.`,
      "Scene files are strict JSON: double-quoted keys and strings, no comments, no trailing commas.",
    ],
  },

  ERR_SCHEMA: {
    notAnObject: (kind: string) => [`A scene file must be a JSON object, got ${kind}.`, EXAMPLE_HINT],
    notASceneFile: () => ['Not a scene file: it has neither "format" nor "root".', EXAMPLE_HINT],
    noRoot: () => ['A scene file needs a "root" node.', EXAMPLE_HINT],
    placeholderKey: (key: string) => [
      `A placeholder instance can't have "${key}": its sub-scene is only built by createInstance().`,
      'Remove "placeholder": true, or add the nodes once the instance exists.',
    ],
    placeholderRoot: () => [
      "The scene root can't be a placeholder: an InstancePlaceholder creates its instance beside itself.",
      'Remove "placeholder": true, or put the instance under a root node.',
    ],
    placeholderName: () => [
      'A placeholder instance needs a "name": its sub-scene is not read, so its root\'s name is not known.',
      'Add "name", e.g. "name": "Level".',
    ],
    typeAndInstance: () => [
      'A node has either "type" or "instance", not both.',
      "Remove \"type\": an instance's type is its scene root's.",
    ],
    noTypeNorInstance: () => [
      'A node needs "type" (a registered node type) or "instance" (a scene file).',
      NODE_HINT,
    ],
    missingProperty: (name: string, what: string, example: string) => [
      `Missing required property "${name}" in ${what}.`,
      `Add "${name}": ${example}.`,
    ],
    lengthOutOfBounds: (
      name: string,
      op: string,
      bound: string,
      unit: string,
      got: string,
      empty: boolean,
    ) => [
      `"${name}" must have ${op} ${bound} ${unit}, got ${got}.`,
      empty ? "It can't be empty." : `Use ${op} ${bound} ${unit}.`,
    ],
    other: (name: string, detail: string) => [`"${name}": ${detail}.`, "Fix the value as the message says."],
  },

  ERR_UNSUPPORTED_FORMAT: {
    format: (got: string, supported: number, newer: boolean) => [
      `Scene format ${got} is not supported; this scenetree reads format ${supported}.`,
      newer
        ? "The file was written for a newer scenetree: update scenetree."
        : `Write "format": ${supported}.`,
    ],
  },

  ERR_FORBIDDEN_KEY: {
    key: (key: string) => [
      `"${key}" is not allowed as a key in a scene file.`,
      "It could reach an object's prototype; remove it or rename the property.",
    ],
  },

  ERR_UNKNOWN_PROPERTY: {
    property: (key: string, where: string, hint: string) => [`Unknown property "${key}" in ${where}.`, hint],
  },

  ERR_WRONG_TYPE: {
    value: (name: string, expected: string, got: string, example: string) => [
      `"${name}" must be ${expected}, got ${got}.`,
      `Write ${expected} here, e.g. ${example}.`,
    ],
    union: (name: string, got: string) => [
      `"${name}" can't be ${got}.`,
      "See the scene JSON Schema (scenetree schema) for what this property accepts.",
    ],
    thresholds: (got: string) => [
      `"thresholds" must be an object (metric to a list of expressions), got ${got}.`,
      THRESHOLDS_HINT,
    ],
    node: (got: string) => [`A node must be an object, got ${got}.`, NODE_HINT],
    connection: (got: string) => [`A connection must be an object, got ${got}.`, CONNECTION_HINT],
  },

  ERR_OUT_OF_RANGE: {
    number: (name: string, op: string, bound: string, got: string) => [
      `"${name}" must be ${op} ${bound}, got ${got}.`,
      `Use a number ${op} ${bound}.`,
    ],
  },

  ERR_INVALID_VALUE: {
    notAccepted: (name: string, got: string, guess: string | null, accepted: string) => [
      `"${name}" can't be ${got}.`,
      `${guess ? `Did you mean "${guess}"? ` : ""}Accepted: ${accepted}.`,
    ],
    connectFlagBits: (got: string, unknown: string, known: string, max: string) => [
      `"flags" can't be ${got}: it has bits no ConnectFlags member has (${unknown}).`,
      `The flags are ${known}; write their sum (at most ${max}) or a list of their names, e.g. ["DEFERRED", "ONE_SHOT"].`,
    ],
    thresholdMetric: (metric: string, detail: string) => [
      `Threshold metric ${JSON.stringify(metric)}: ${detail}`,
      'Name a metric, or a metric and tags: "ws_connecting", "join_time{room:lobby}".',
    ],
    threshold: (source: unknown, metric: string, detail: string, unsupported: boolean) => [
      `Threshold ${JSON.stringify(source)} of "${metric}": ${detail}`,
      unsupported
        ? "Use a method the metric's kind has, or put the threshold on another metric."
        : THRESHOLDS_HINT,
    ],
    instanceNotAScene: (ref: string, real: string | null) => [
      real === null
        ? `Sub-scene "${ref}" is not a scene file: "instance" names a .scene.json or .tscn file.`
        : `Sub-scene "${ref}" leads to ${real}, which is not a scene file.`,
      "Only scene files are read as sub-scenes; nothing else is opened.",
    ],
  },

  ERR_INVALID_NAME: {
    reservedCharacter: (name: string, renamed: string) => [
      `Node name ${JSON.stringify(name)} contains a character reserved for node paths (. : @ / " %).`,
      `Rename it, e.g. ${JSON.stringify(renamed)}.`,
    ],
  },

  ERR_UNKNOWN_TYPE: {
    type: (type: string, suggestion: string) => [
      `Unknown node type "${type}".`,
      `${suggestion} A type of your own must be registered with registerNodeType() in a module listed in "scripts".`,
    ],
  },

  ERR_DUPLICATE_NAME: {
    sibling: (parent: string, name: string) => [
      `"${parent}" already has a child named "${name}".`,
      "Sibling names must be unique (node paths use them); rename one of them.",
    ],
    unique: (name: string, takenBy: string) => [
      `The unique name "%${name}" is already used in this scene by "${takenBy}".`,
      "Unique names (%Name) must be unique in their scene; rename one of the nodes.",
    ],
  },

  ERR_BAD_NODE_PATH: {
    editKey: (problem: string) => [
      problem,
      'Write the path from the instance root, e.g. "Body/Gun"; the root\'s own changes go in this entry\'s "props", "groups" and "children".',
    ],
    editTarget: (instance: string, key: string, hint: string) => [
      `The instance "${instance}" has no node at "${key}".`,
      hint,
    ],
    absolute: (path: string) => [
      `Absolute node path "${path}": the scene does not know where it will be added.`,
      'Write the path relative to this node, e.g. "../Sibling" or "%UniqueName".',
    ],
    noNode: (path: string, from: string, hint: string) => [
      `No node at "${path}" relative to "${from}".`,
      hint,
    ],
    wrongClass: (path: string, actual: string, expected: string) => [
      `"${path}" is a ${actual}; this prop takes a ${expected}.`,
      `Point it at a ${expected} node (or one of a type that extends it).`,
    ],
  },

  ERR_BAD_CONNECTION: {
    noSignal: (type: string, node: string, signal: string, hint: string) => [
      `${type} "${node}" has no signal "${signal}".`,
      hint,
    ],
    noMethod: (type: string, node: string, method: string, guess: string) => [
      `${type} "${node}" has no method "${method}".`,
      `${guess.startsWith("Did you mean") ? guess + "? " : ""}Declare ${method}() as a method of the class (an arrow-function field is not on the prototype).`,
    ],
    duplicate: (from: string, signal: string, to: string, method: string) => [
      `The same connection (${from}.${signal} → ${to}.${method}) is listed twice.`,
      "Remove the duplicate, or add the REFERENCE_COUNTED flag to both.",
    ],
    noNode: (path: string, root: string, pathHint: string) => [
      `No node at "${path}" in this scene.`,
      `Connection paths are relative to the scene root, "${root}" (write "." for the root itself). ${pathHint}`,
    ],
  },

  ERR_INSTANCE_CYCLE: {
    cycle: (ref: string, cycle: readonly string[]) => [
      `Instancing "${ref}" makes a cycle: ${cycle.join(" → ")}.`,
      "A scene can't contain itself, directly or through other scenes; remove this instance.",
    ],
  },

  ERR_MISSING_FILE: {
    scene: () => ["Scene file not found.", "Check the path; relative paths resolve from the current folder."],
    unreadableScene: (detail: string) => [`Can't read the scene file: ${detail}`, UNREADABLE_HINT],
    subScene: (file: string, folder: string) => [
      `Sub-scene file not found: ${file}.`,
      `The path is relative to this scene file's folder (${folder}).`,
    ],
    unreadableSubScene: (ref: string, detail: string, kind: string) => [
      `Sub-scene "${ref}" can't be read: ${detail}`,
      refusalHint(kind),
    ],
    script: (specifier: string, folder: string) => [
      `Script file not found: ${specifier}.`,
      `The path is relative to this scene file's folder (${folder}); write the extension too.`,
    ],
  },

  ERR_SCRIPT_LOAD: {
    outsideProject: (ref: string, project: string) => [
      `Script "${ref}" is outside the scene's project folder (${project}).`,
      "Move the module into the project, or load the scene with { allowScriptsOutsideProject: true }.",
    ],
    importFailed: (file: string, failure: string) => [
      `Importing ${file} failed: ${failure}`,
      "Fix the error in the module; it runs when the scene is loaded.",
    ],
  },

  ERR_OUTSIDE_PROJECT: {
    subScene: (ref: string, project: string) => [
      `Sub-scene "${ref}" is outside the scene's project folder (${project}).`,
      "Move the scene file into the project, or load without { confineInstancesToProject: true }.",
    ],
  },

  ERR_LIMIT: {
    /** A read refused for the load's budget: the refusal already says which limit. */
    refused: (detail: string, kind: string) => [detail, refusalHint(kind)],
    fileBytes: (max: number) => [REFUSALS.fileBytes(max), FILE_HINT],
    jsonNesting: (max: number) => [
      `Arrays and objects are nested deeper than ${max} levels here.`,
      "Flatten the scene, or raise the limit: loadScene(file, { limits: { maxJsonNesting } }).",
    ],
    depth: (max: number) => [
      `The scene is nested deeper than ${max} levels of nodes (sub-scenes included).`,
      "Flatten the scene, or raise the limit: loadScene(file, { limits: { maxDepth } }).",
    ],
    nodes: (max: number) => [
      `The scene builds more than ${max} nodes (sub-scenes included).`,
      "Use fewer or smaller instances, or raise the limit: loadScene(file, { limits: { maxNodes } }).",
    ],
    problems: (max: number) => [
      `More than ${max} problems: the ones after this are not reported.`,
      "Fix these first, or raise the limit: loadScene(file, { limits: { maxProblems } }).",
    ],
  },

  ERR_INSTANTIATE: {
    threw: (message: string) => [
      message,
      "The node's own code threw while the scene was built; see the message.",
    ],
  },

  ERR_TSCN: {
    conversion: (detail: string) => [
      detail,
      "Fix the .tscn (or open and save it in Godot), or convert it with scenetree import to see every warning.",
    ],
  },

  ERR_TSCN_UNSUPPORTED: {
    /** A file whose name says it is a Godot binary scene or a resource: `detail` says which. */
    godotFile: (detail: string) => [
      detail,
      "scenetree reads Godot scenes as text only: open the scene in Godot and save it under a .tscn name (Scene > Save Scene As).",
    ],
  },
});
