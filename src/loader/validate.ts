import type { z } from "zod";
import "./builtinTypes";
import {
  connectFlagsToNumber,
  connectionSchema,
  INVALID_NAME_CHARACTERS,
  instanceNodeSchema,
  SCENE_FORMAT_VERSION,
  sceneFileSchema,
  typedNodeSchema,
} from "./format";
import { editPathProblem, materializeInstance, resolveEditPath } from "./editableOutline";
import { linkOf, pathLink, type JsonPathSegment, type PathLink } from "./jsonPath";
import { cursorLabel, OutlineNode, resolveOutlinePath, suggestNodePath } from "./outline";
import { DEFAULT_SCENE_LIMITS, type SceneLimits } from "./limits";
import type { ProblemList } from "./problems";
import {
  FORBIDDEN_KEYS,
  getNodeType,
  getRegisteredNodeTypes,
  methodsOf,
  signalsOf,
  type NodeTypeInfo,
} from "./registry";
import { nodePathTargetClass, type NodeClassLike } from "./propSchemas";
import { suggestionHint } from "./suggest";
import { describeValue, reportZodIssues } from "./zodProblems";

// Read once: under tsx an imported binding is a getter call on every use, and these are used per node.
const TYPED_NODE_SCHEMA = typedNodeSchema;
const INSTANCE_NODE_SCHEMA = instanceNodeSchema;
const RESERVED_NAME_CHARACTERS = INVALID_NAME_CHARACTERS;
const findNodeType = getNodeType;
const NO_ISSUES: readonly z.core.$ZodIssue[] = [];

/**
 * True when `raw` certainly passes the node schema (typed or instance): every key known and of the
 * right JSON type. Most nodes of a real scene are like that, and this check costs a fraction of a zod
 * parse; anything else goes through zod, which then explains precisely what is wrong.
 */
function isPlainWellFormedNode(raw: RawObject, isInstance: boolean): boolean {
  let hasName = false;
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) continue;
    const value = raw[key];
    switch (key) {
      case "name":
        if (typeof value !== "string" || value.length === 0) return false;
        hasName = true;
        break;
      case "type":
        if (isInstance || typeof value !== "string" || value.length === 0) return false;
        break;
      case "instance":
      case "script":
        if (typeof value !== "string" || value.length === 0) return false;
        break;
      case "props":
        if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
        break;
      case "children":
        if (!Array.isArray(value)) return false;
        break;
      case "groups":
        if (!Array.isArray(value) || !value.every((g) => typeof g === "string" && g.length > 0)) return false;
        break;
      case "uniqueNameInOwner":
        if (typeof value !== "boolean") return false;
        break;
      case "placeholder":
        if (!isInstance || typeof value !== "boolean") return false;
        break;
      default:
        return false; // unknown keys (and "__proto__" & co.) are for zod to report
    }
  }
  return isInstance || (hasName && Object.hasOwn(raw, "type"));
}

/** What validation needs to know about a sub-scene (a `PackedScene` provides it). */
export interface SubScene {
  readonly outline: OutlineNode;
  readonly rootInfo: NodeTypeInfo | null;
  /** Nodes one instance builds, nested sub-scenes included. */
  readonly nodeCount: number;
  /** Levels of nodes, the root being 1, nested sub-scenes included. */
  readonly height: number;
}

/** A validated node, ready to be built: props already parsed (enum names turned into numbers). */
export interface NodeSpec<Sub extends SubScene = SubScene> {
  /** Null: an instance keeps its sub-scene root's name. */
  readonly name: string | null;
  readonly info: NodeTypeInfo | null;
  readonly instance: Sub | null;
  readonly props: ReadonlyArray<readonly [string, unknown]>;
  /** NodePath props, assigned the node they point at once every node exists. */
  readonly nodePaths: ReadonlyArray<readonly [string, string]>;
  readonly groups: readonly string[];
  /** Null: leave as it is (an instance root keeps its sub-scene's setting). */
  readonly unique: boolean | null;
  readonly children: ReadonlyArray<NodeSpec<Sub>>;
  /** For an instance: changes to nodes inside it (`"editable"`), made once the sub-scene is built. */
  readonly edits: ReadonlyArray<EditSpec<Sub>>;
  /**
   * For an instance loaded as placeholder: the `"instance"` string as written (the sub-scene is not
   * read); the node is an InstancePlaceholder and `props` are its stored values, unchecked. Else null.
   */
  readonly placeholder: string | null;
  /** Where the node is in its file, for errors while instantiating. */
  readonly jsonPath: PathLink;
}

/** One `"editable"` entry: a node inside an instance, by its path from the instance root. */
export interface EditSpec<Sub extends SubScene = SubScene> {
  readonly path: string;
  readonly props: ReadonlyArray<readonly [string, unknown]>;
  readonly nodePaths: ReadonlyArray<readonly [string, string]>;
  readonly groups: readonly string[];
  readonly children: ReadonlyArray<NodeSpec<Sub>>;
  readonly jsonPath: PathLink;
}

export interface ConnectionSpec {
  readonly from: string;
  readonly signal: string;
  readonly to: string;
  readonly method: string;
  readonly binds: readonly unknown[];
  readonly flags: number;
  readonly jsonPath: readonly JsonPathSegment[];
}

export interface SceneSpec<Sub extends SubScene = SubScene> {
  readonly root: NodeSpec<Sub>;
  readonly connections: readonly ConnectionSpec[];
  readonly outline: OutlineNode;
  readonly scripts: readonly string[];
  /** The file's `"thresholds"` (metric to k6 expressions, already checked); empty without. */
  readonly thresholds: Readonly<Record<string, readonly string[]>>;
  readonly nodeCount: number;
  readonly height: number;
}

export interface ValidateOptions<Sub extends SubScene> {
  /** Sub-scenes already loaded, by their `"instance"` string as written. Missing ones were reported. */
  instances: ReadonlyMap<string, Sub>;
  /**
   * Don't report unknown types: the file's scripts, which may register them, have not been imported
   * (because the file has other problems and no user code runs from an invalid file).
   */
  typesMayComeFromScripts?: boolean;
  /** Depth and node-count limits (default {@link DEFAULT_SCENE_LIMITS}). */
  limits?: SceneLimits;
}

type RawObject = Record<string, unknown>;

/**
 * Checks a parsed scene file against the format and the node type registry, collecting every problem in
 * `problems`. Returns the spec to instantiate, or null when anything is wrong. Runs no user code.
 */
export function validateScene<Sub extends SubScene>(
  raw: unknown,
  problems: ProblemList,
  options: ValidateOptions<Sub>,
): SceneSpec<Sub> | null {
  return new SceneValidator(problems, options).validate(raw);
}

class SceneValidator<Sub extends SubScene> {
  private sceneRoot: OutlineNode | null = null;
  private readonly pendingNodePaths: Array<{
    node: OutlineNode;
    path: string;
    at: PathLink;
    key: string;
    /** What the target must be (`nodePathProp(SomeClass)`); null for any node. */
    targetClass: NodeClassLike | null;
  }> = [];
  /** Placeholder names for nodes without one (already reported), distinct so they don't collide. */
  private unnamed = 0;
  private readonly limits: SceneLimits;
  private nodeCount = 0;
  private height = 0;
  private limitReported = false;

  constructor(
    private readonly problems: ProblemList,
    private readonly options: ValidateOptions<Sub>,
  ) {
    this.limits = options.limits ?? DEFAULT_SCENE_LIMITS;
  }

  validate(raw: unknown): SceneSpec<Sub> | null {
    const problems = this.problems;
    const before = problems.size;
    // What is not shaped like a scene at all is not described: it may be any JSON a path led to.
    if (!isObject(raw)) {
      problems.add("ERR_SCHEMA", [], `A scene file must be a JSON object, got ${kindOf(raw)}.`, EXAMPLE_HINT);
      return null;
    }
    if (!Object.hasOwn(raw, "format") && !Object.hasOwn(raw, "root")) {
      problems.add("ERR_SCHEMA", [], 'Not a scene file: it has neither "format" nor "root".', EXAMPLE_HINT);
      return null;
    }
    this.stripForbiddenKeys(raw, []);
    this.checkTopLevel(raw);
    const root = Object.hasOwn(raw, "root")
      ? this.validateNode(raw.root, pathLink(null, "root"), null, 1)
      : null;
    const connections =
      root && this.sceneRoot ? this.validateConnections(raw.connections, this.sceneRoot) : [];
    this.checkNodePaths();
    if (problems.size > before || !root || !this.sceneRoot) return null;
    const scripts = Array.isArray(raw.scripts) ? (raw.scripts as string[]) : [];
    const thresholds = isObject(raw.thresholds) ? (raw.thresholds as Record<string, string[]>) : {};
    return {
      root,
      connections,
      outline: this.sceneRoot,
      scripts,
      thresholds,
      nodeCount: this.nodeCount,
      height: this.height,
    };
  }

  /**
   * `__proto__`, `constructor` and `prototype` are refused anywhere, and removed before anything reads
   * on. `at` is one shared stack (copied only to report), as this visits every value of the file.
   */
  private stripForbiddenKeys(value: unknown, at: JsonPathSegment[]): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item === null || typeof item !== "object") continue;
        at.push(i);
        this.stripForbiddenKeys(item, at);
        at.pop();
      }
      return;
    }
    if (value === null || typeof value !== "object") return;
    const object = value as RawObject;
    for (const key in object) {
      if (FORBIDDEN_KEYS.has(key)) {
        this.problems.add(
          "ERR_FORBIDDEN_KEY",
          [...at, key],
          `"${key}" is not allowed as a key in a scene file.`,
          "It could reach an object's prototype; remove it or rename the property.",
          "key",
        );
        delete object[key];
        continue;
      }
      const child = object[key];
      if (child === null || typeof child !== "object") continue;
      at.push(key);
      this.stripForbiddenKeys(child, at);
      at.pop();
    }
  }

  private checkTopLevel(raw: RawObject): void {
    const problems = this.problems;
    let issues = sceneFileSchema.safeParse(raw).error?.issues ?? [];
    if (Object.hasOwn(raw, "format") && raw.format !== SCENE_FORMAT_VERSION) {
      problems.add(
        "ERR_UNSUPPORTED_FORMAT",
        ["format"],
        `Scene format ${describeValue(raw.format)} is not supported; this scenetree reads format ${SCENE_FORMAT_VERSION}.`,
        typeof raw.format === "number" && raw.format > SCENE_FORMAT_VERSION
          ? "The file was written for a newer scenetree: update scenetree."
          : `Write "format": ${SCENE_FORMAT_VERSION}.`,
      );
      issues = issues.filter((issue) => issue.path[0] !== "format");
    }
    if (!Object.hasOwn(raw, "root")) {
      problems.add("ERR_SCHEMA", [], 'A scene file needs a "root" node.', EXAMPLE_HINT);
      issues = issues.filter((issue) => issue.path[0] !== "root");
    }
    issues = issues.filter((issue) => !this.reportThreshold(issue, raw));
    reportZodIssues(problems, issues, null, raw, {
      what: "the scene file",
      knownKeys: Object.keys(sceneFileSchema.shape),
    });
  }

  /**
   * `"thresholds"` that is not an object, or a threshold that does not parse (thresholdsSchema's own
   * issues, which carry the ThresholdError code): reported at the expression or at the metric's key,
   * saying what k6's syntax wants. Returns false for the issues reportZodIssues words well itself.
   */
  private reportThreshold(issue: z.core.$ZodIssue, raw: RawObject): boolean {
    if (issue.path[0] !== "thresholds") return false;
    if (issue.path.length === 1 && issue.code === "invalid_type") {
      this.problems.add(
        "ERR_WRONG_TYPE",
        ["thresholds"],
        `"thresholds" must be an object (metric to a list of expressions), got ${describeValue(raw.thresholds)}.`,
        THRESHOLDS_HINT,
      );
      return true;
    }
    if (issue.code !== "custom" || issue.path.length < 2) return false;
    const metric = String(issue.path[1]);
    if (issue.path.length === 2) {
      this.problems.add(
        "ERR_INVALID_VALUE",
        ["thresholds", metric],
        `Threshold metric ${JSON.stringify(metric)}: ${issue.message}`,
        'Name a metric, or a metric and tags: "ws_connecting", "join_time{room:lobby}".',
        "key",
      );
      return true;
    }
    const index = Number(issue.path[2]);
    const source = (raw.thresholds as Record<string, unknown[]>)[metric][index];
    const unsupported = (issue.params as { code?: string } | undefined)?.code === "ERR_THRESHOLD_UNSUPPORTED";
    this.problems.add(
      "ERR_INVALID_VALUE",
      ["thresholds", metric, index],
      `Threshold ${JSON.stringify(source)} of "${metric}": ${issue.message}`,
      unsupported
        ? "Use a method the metric's kind has, or put the threshold on another metric."
        : THRESHOLDS_HINT,
    );
    return true;
  }

  private validateNode(
    raw: unknown,
    at: PathLink,
    parent: OutlineNode | null,
    depth: number,
  ): NodeSpec<Sub> | null {
    if (this.limitReported) return null; // past a limit nothing more is checked: the file is refused
    if (!isObject(raw)) {
      this.problems.add(
        "ERR_WRONG_TYPE",
        at,
        `A node must be an object, got ${describeValue(raw)}.`,
        NODE_HINT,
      );
      return null;
    }
    const isInstance = Object.hasOwn(raw, "instance");
    this.checkNodeShape(raw, at, isInstance);
    const name = this.nodeName(raw, at);
    if (isInstance && raw.placeholder === true) return this.validatePlaceholder(raw, at, name, parent, depth);
    const instance =
      isInstance && typeof raw.instance === "string"
        ? (this.options.instances.get(raw.instance) ?? null)
        : null;
    let info: NodeTypeInfo | null = instance?.rootInfo ?? null;
    if (!isInstance && typeof raw.type === "string") info = this.lookUpType(raw.type, at);
    // Counted before the sub-scene's outline is copied, so an instance bomb is refused before it costs.
    this.nodeCount += instance ? instance.nodeCount : 1;
    const reach = depth + (instance ? instance.height - 1 : 0);
    if (reach > this.height) this.height = reach;
    if (!this.withinLimits(at, reach)) return null;
    const outline = this.outlineFor(name, info, isInstance ? instance : undefined, parent);
    this.placeInOutline(outline, raw, at, parent);
    const { props, nodePaths } = this.validateProps(raw.props, info, at, outline);
    const edits = isInstance ? this.validateEdits(raw.editable, at, outline, depth) : NONE;
    return {
      name: isInstance ? name : (name ?? ""),
      info,
      instance,
      props,
      nodePaths,
      groups: groupsOf(raw.groups),
      unique: typeof raw.uniqueNameInOwner === "boolean" ? raw.uniqueNameInOwner : null,
      children: this.validateChildren(raw.children, at, outline, depth),
      edits,
      placeholder: null,
      jsonPath: at,
    };
  }

  /**
   * Godot's "Load as Placeholder": an InstancePlaceholder of that name stands where the instance would
   * be. The sub-scene is not read (the point of a placeholder is to put that off), so its props are
   * kept as written, and nothing may reach into it.
   */
  private validatePlaceholder(
    raw: RawObject,
    at: PathLink,
    name: string | null,
    parent: OutlineNode | null,
    depth: number,
  ): NodeSpec<Sub> | null {
    for (const key of ["children", "editable"] as const) {
      if (!Object.hasOwn(raw, key)) continue;
      this.problems.add(
        "ERR_SCHEMA",
        pathLink(at, key),
        `A placeholder instance can't have "${key}": its sub-scene is only built by createInstance().`,
        'Remove "placeholder": true, or add the nodes once the instance exists.',
        "key",
      );
    }
    if (!parent) {
      this.problems.add(
        "ERR_SCHEMA",
        pathLink(at, "placeholder"),
        "The scene root can't be a placeholder: an InstancePlaceholder creates its instance beside itself.",
        'Remove "placeholder": true, or put the instance under a root node.',
        "key",
      );
    }
    if (name === null && !Object.hasOwn(raw, "name")) {
      this.problems.add(
        "ERR_SCHEMA",
        at,
        'A placeholder instance needs a "name": its sub-scene is not read, so its root\'s name is not known.',
        'Add "name", e.g. "name": "Level".',
      );
    }
    this.nodeCount += 1;
    if (depth > this.height) this.height = depth;
    if (!this.withinLimits(at, depth)) return null;
    const info = findNodeType("InstancePlaceholder") ?? null;
    const outline = new OutlineNode(name ?? `?${++this.unnamed}`, info, parent);
    this.placeInOutline(outline, raw, at, parent);
    const props: Array<[string, unknown]> = isObject(raw.props) ? Object.entries(raw.props) : [];
    return {
      name: name ?? "",
      info,
      instance: null,
      props,
      nodePaths: NONE,
      groups: groupsOf(raw.groups),
      unique: typeof raw.uniqueNameInOwner === "boolean" ? raw.uniqueNameInOwner : null,
      children: NONE,
      edits: NONE,
      placeholder: typeof raw.instance === "string" ? raw.instance : "",
      jsonPath: at,
    };
  }

  /**
   * An instance's `"editable"` entries: every key must name a node of the instance (checked before
   * any entry adds children, so a key can't name a node this file adds); each node's props are
   * checked against its own type, its new children like any node's.
   */
  private validateEdits(
    raw: unknown,
    at: PathLink,
    instance: OutlineNode,
    depth: number,
  ): ReadonlyArray<EditSpec<Sub>> {
    if (!isObject(raw)) return NONE;
    const keys = Object.keys(raw);
    if (keys.length === 0) return NONE;
    if (instance.sub) materializeInstance(instance);
    const list = pathLink(at, "editable");
    const targets: Array<{ key: string; entry: RawObject; target: OutlineNode; at: PathLink }> = [];
    for (const key of keys) {
      const entryAt = pathLink(list, key);
      const problem = editPathProblem(key);
      const target = problem === null ? resolveEditPath(instance, key) : null;
      if (!target) {
        this.problems.add(
          "ERR_BAD_NODE_PATH",
          entryAt,
          problem ?? `The instance "${instance.label()}" has no node at "${key}".`,
          problem
            ? 'Write the path from the instance root, e.g. "Body/Gun"; the root\'s own changes go in this entry\'s "props", "groups" and "children".'
            : this.editHint(instance, key),
          "key",
        );
        continue;
      }
      if (isObject(raw[key])) targets.push({ key, entry: raw[key], target, at: entryAt });
    }
    const edits: EditSpec<Sub>[] = [];
    for (const { key, entry, target, at: entryAt } of targets) {
      const { props, nodePaths } = this.validateProps(entry.props, target.info, entryAt, target);
      const targetDepth = depth + key.split("/").length;
      edits.push({
        path: key,
        props,
        nodePaths,
        groups: groupsOf(entry.groups),
        children: this.validateChildren(entry.children, entryAt, target, targetDepth),
        jsonPath: entryAt,
      });
    }
    return edits;
  }

  /** A did-you-mean for an `"editable"` key, from the instance's own nodes. */
  private editHint(instance: OutlineNode, key: string): string {
    const guess = suggestNodePath(instance, key, this.problems.suggestions);
    const names = [...instance.children.keys()].slice(0, 8).map((n) => JSON.stringify(n));
    if (guess && !guess.split("/").some((n) => n === ".." || n.startsWith("%")))
      return `Did you mean "${guess}"?`;
    return names.length > 0
      ? `Keys are paths from the instance root; its children are ${names.join(", ")}.`
      : "Keys are paths from the instance root, whose sub-scene has no children.";
  }

  private validateChildren(
    raw: unknown,
    at: PathLink,
    outline: OutlineNode,
    depth: number,
  ): ReadonlyArray<NodeSpec<Sub>> {
    if (!Array.isArray(raw) || raw.length === 0) return NONE;
    const children: NodeSpec<Sub>[] = [];
    const list = pathLink(at, "children"); // one link shared by every child's path
    for (let i = 0; i < raw.length; i++) {
      const child = this.validateNode(raw[i], pathLink(list, i), outline, depth + 1);
      if (child) children.push(child);
    }
    return children;
  }

  /** The node's keys and their JSON types, against the typed or the instance node schema. */
  private checkNodeShape(raw: RawObject, at: PathLink, isInstance: boolean): void {
    const schema = isInstance ? INSTANCE_NODE_SCHEMA : TYPED_NODE_SCHEMA;
    if (isPlainWellFormedNode(raw, isInstance)) return;
    let issues = schema.safeParse(raw).error?.issues ?? NO_ISSUES;
    if (isInstance && Object.hasOwn(raw, "type")) {
      this.problems.add(
        "ERR_SCHEMA",
        pathLink(at, "type"),
        'A node has either "type" or "instance", not both.',
        "Remove \"type\": an instance's type is its scene root's.",
        "key",
      );
      issues = issues.filter(
        (issue) =>
          !(issue.code === "unrecognized_keys" && issue.path.length === 0 && issue.keys.includes("type")),
      );
    } else if (!isInstance && !Object.hasOwn(raw, "type")) {
      this.problems.add(
        "ERR_SCHEMA",
        at,
        'A node needs "type" (a registered node type) or "instance" (a scene file).',
        NODE_HINT,
      );
      issues = issues.filter((issue) => !(issue.path.length === 1 && issue.path[0] === "type"));
    }
    if (issues.length > 0) {
      reportZodIssues(this.problems, issues, at, raw, {
        what: "a node",
        knownKeys: Object.keys(schema.shape),
      });
    }
  }

  /** The node's name when it is a usable one; null when absent or refused (reported). */
  private nodeName(raw: RawObject, at: PathLink): string | null {
    const name = typeof raw.name === "string" && raw.name.length > 0 ? raw.name : null;
    if (name === null || !RESERVED_NAME_CHARACTERS.test(name)) return name;
    this.problems.add(
      "ERR_INVALID_NAME",
      pathLink(at, "name"),
      `Node name ${JSON.stringify(name)} contains a character reserved for node paths (. : @ / " %).`,
      `Rename it, e.g. ${JSON.stringify(name.replace(new RegExp(INVALID_NAME_CHARACTERS, "g"), "_"))}.`,
    );
    return null;
  }

  /**
   * The node's place in the outline. An instance gets a copy of its sub-scene's outline; one whose
   * sub-scene could not be loaded (`instance` null, reported elsewhere) is opaque: paths into it are
   * not judged.
   */
  private outlineFor(
    name: string | null,
    info: NodeTypeInfo | null,
    instance: Sub | null | undefined,
    parent: OutlineNode | null,
  ): OutlineNode {
    if (instance === undefined) return new OutlineNode(name ?? `?${++this.unnamed}`, info, parent);
    const outline = instance
      ? OutlineNode.view(instance.outline, parent)
      : new OutlineNode(name ?? `?${++this.unnamed}`, null, parent);
    if (!instance) outline.opaque = true;
    if (name !== null) outline.name = name;
    return outline;
  }

  /** Reports the first limit the scene goes past (once: the rest of the file is not looked at). */
  private withinLimits(at: PathLink, depth: number): boolean {
    const { maxDepth, maxNodes } = this.limits;
    if (depth > maxDepth) {
      this.problems.add(
        "ERR_LIMIT",
        at,
        `The scene is nested deeper than ${maxDepth} levels of nodes (sub-scenes included).`,
        "Flatten the scene, or raise the limit: loadScene(file, { limits: { maxDepth } }).",
      );
    } else if (this.nodeCount > maxNodes) {
      this.problems.add(
        "ERR_LIMIT",
        at,
        `The scene builds more than ${maxNodes} nodes (sub-scenes included).`,
        "Use fewer or smaller instances, or raise the limit: loadScene(file, { limits: { maxNodes } }).",
      );
    } else return true;
    this.limitReported = true;
    return false;
  }

  private lookUpType(type: string, node: PathLink): NodeTypeInfo | null {
    const info = findNodeType(type);
    if (info || this.options.typesMayComeFromScripts) return info ?? null;
    const names = getRegisteredNodeTypes().map((t) => t.name);
    this.problems.add(
      "ERR_UNKNOWN_TYPE",
      pathLink(node, "type"),
      `Unknown node type "${type}".`,
      `${suggestionHint(type, names, "Registered types", this.problems.suggestions)} A type of your own must be registered with registerNodeType() in a module listed in "scripts".`,
    );
    return null;
  }

  /**
   * Links the node into the outline: sibling names, owner, unique names, exactly as instantiating
   * will (PackedScene sets a node's unique flag before its owner, so this is the flag that counts).
   */
  private placeInOutline(node: OutlineNode, raw: RawObject, at: PathLink, parent: OutlineNode | null): void {
    if (typeof raw.uniqueNameInOwner === "boolean") node.unique = raw.uniqueNameInOwner;
    if (!parent) {
      this.sceneRoot = node;
      node.owner = null;
      return;
    }
    if (parent.hasChild(node.name)) {
      this.problems.add(
        "ERR_DUPLICATE_NAME",
        Object.hasOwn(raw, "name") ? pathLink(at, "name") : at,
        `"${parent.label()}" already has a child named "${node.name}".`,
        "Sibling names must be unique (node paths use them); rename one of them.",
      );
    } else {
      parent.addChild(node);
    }
    const root = this.sceneRoot!;
    node.owner = root;
    if (!node.unique) return;
    const uniques = root.uniquesToFill();
    const taken = uniques.get(node.name);
    if (taken) {
      this.problems.add(
        "ERR_DUPLICATE_NAME",
        Object.hasOwn(raw, "uniqueNameInOwner") ? pathLink(at, "uniqueNameInOwner") : at,
        `The unique name "%${node.name}" is already used in this scene by "${taken.label()}".`,
        "Unique names (%Name) must be unique in their scene; rename one of the nodes.",
      );
    } else uniques.set(node.name, node);
  }

  private validateProps(
    raw: unknown,
    info: NodeTypeInfo | null,
    node: PathLink,
    outline: OutlineNode,
  ): { props: Array<[string, unknown]>; nodePaths: Array<[string, string]> } {
    if (!info || !isObject(raw)) return NO_PROPS;
    const props: Array<[string, unknown]> = [];
    const nodePaths: Array<[string, string]> = [];
    const result = info.propsSchema.safeParse(raw);
    if (!result.success) {
      reportZodIssues(this.problems, result.error.issues, pathLink(node, "props"), raw, {
        what: `${info.name} props`,
        knownKeys: Object.keys(info.propsSchema.shape),
      });
      return { props, nodePaths };
    }
    for (const key of Object.keys(result.data)) {
      const value = result.data[key];
      if (value === undefined) continue;
      if (info.nodePathProps.has(key) && typeof value === "string") {
        nodePaths.push([key, value]);
        const targetClass = nodePathTargetClass((info.propsSchema.shape as Record<string, z.ZodType>)[key]);
        this.pendingNodePaths.push({ node: outline, path: value, at: node, key, targetClass });
      } else props.push([key, value]);
    }
    return { props, nodePaths };
  }

  /** NodePath props must point at a node of this scene, checked once the whole outline exists. */
  private checkNodePaths(): void {
    for (const { node, path, at, key, targetClass } of this.pendingNodePaths) {
      const absolute = path.startsWith("/");
      const target = absolute ? null : resolveOutlinePath(node, path)?.node;
      if (absolute) {
        this.problems.add(
          "ERR_BAD_NODE_PATH",
          pathLink(at, "props", key),
          `Absolute node path "${path}": the scene does not know where it will be added.`,
          'Write the path relative to this node, e.g. "../Sibling" or "%UniqueName".',
        );
      } else if (!target) {
        this.problems.add(
          "ERR_BAD_NODE_PATH",
          pathLink(at, "props", key),
          `No node at "${path}" relative to "${node.label()}".`,
          this.pathHint(path, node),
        );
      } else if (targetClass && target.info && !isA(target.info, targetClass)) {
        this.problems.add(
          "ERR_BAD_NODE_PATH",
          pathLink(at, "props", key),
          `"${path}" is a ${target.info.name}; this prop takes a ${targetClass.name}.`,
          `Point it at a ${targetClass.name} node (or one of a type that extends it).`,
        );
      }
    }
  }

  private validateConnections(raw: unknown, root: OutlineNode): ConnectionSpec[] {
    if (!Array.isArray(raw)) return [];
    const specs: ConnectionSpec[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < raw.length; i++) {
      const at: JsonPathSegment[] = ["connections", i];
      const entry: unknown = raw[i];
      if (!isObject(entry)) {
        this.problems.add(
          "ERR_WRONG_TYPE",
          at,
          `A connection must be an object, got ${describeValue(entry)}.`,
          CONNECTION_HINT,
        );
        continue;
      }
      const parsed = connectionSchema.safeParse(entry);
      if (!parsed.success) {
        reportZodIssues(this.problems, parsed.error.issues, linkOf(at), entry, {
          what: "a connection",
          knownKeys: Object.keys(connectionSchema.shape),
        });
        continue;
      }
      const c = parsed.data;
      const before = this.problems.size;
      const from = this.connectionEnd(root, c.from, [...at, "from"]);
      const to = this.connectionEnd(root, c.to, [...at, "to"]);
      const suggestions = this.problems.suggestions;
      if (from?.info) {
        const signals = signalsOf(from.info);
        if (!signals.has(c.signal)) {
          this.problems.add(
            "ERR_BAD_CONNECTION",
            [...at, "signal"],
            `${from.info.name} "${from.label()}" has no signal "${c.signal}".`,
            suggestionHint(c.signal, signals, `Signals of ${from.info.name}`, suggestions),
          );
        }
      }
      if (to?.info) {
        const methods = methodsOf(to.info);
        if (!methods.has(c.method)) {
          const guess = suggestionHint(c.method, methods, "", suggestions).split("?")[0];
          this.problems.add(
            "ERR_BAD_CONNECTION",
            [...at, "method"],
            `${to.info.name} "${to.label()}" has no method "${c.method}".`,
            `${guess.startsWith("Did you mean") ? guess + "? " : ""}Declare ${c.method}() as a method of the class (an arrow-function field is not on the prototype).`,
          );
        }
      }
      const flags = connectFlagsToNumber(c.flags);
      const key = JSON.stringify([c.from, c.signal, c.to, c.method, c.binds ?? []]);
      if (seen.has(key) && !(flags & 8)) {
        this.problems.add(
          "ERR_BAD_CONNECTION",
          at,
          `The same connection (${c.from}.${c.signal} → ${c.to}.${c.method}) is listed twice.`,
          "Remove the duplicate, or add the REFERENCE_COUNTED flag to both.",
        );
      }
      seen.add(key);
      if (this.problems.size === before) {
        specs.push({
          from: c.from,
          signal: c.signal,
          to: c.to,
          method: c.method,
          binds: c.binds ?? [],
          flags,
          jsonPath: at,
        });
      }
    }
    return specs;
  }

  /** The node a connection path leads to (its type, and how to name it), or null after reporting. */
  private connectionEnd(
    root: OutlineNode,
    path: string,
    at: JsonPathSegment[],
  ): { info: NodeTypeInfo | null; label(): string } | null {
    const cursor = path.startsWith("/") ? null : resolveOutlinePath(root, path);
    if (!cursor) {
      this.problems.add(
        "ERR_BAD_CONNECTION",
        at,
        `No node at "${path}" in this scene.`,
        `Connection paths are relative to the scene root, "${root.label()}" (write "." for the root itself). ${this.pathHint(path, root)}`,
      );
    }
    return cursor && { info: cursor.node.info, label: () => cursorLabel(cursor) };
  }

  /** A did-you-mean for a path that leads nowhere, found one step at a time (bounded work). */
  private pathHint(path: string, from: OutlineNode): string {
    const guess = suggestNodePath(from, path, this.problems.suggestions);
    return guess ? `Did you mean "${guess}"?` : `Node paths here are relative to "${from.label()}".`;
  }
}

/** Shared by every node without groups or children: most nodes of a large scene. */
const NONE: readonly never[] = Object.freeze([]);

function groupsOf(raw: unknown): readonly string[] {
  return Array.isArray(raw) ? raw.filter((g): g is string => typeof g === "string") : NONE;
}

const NO_PROPS = Object.freeze({ props: [], nodePaths: [] }) as unknown as {
  props: Array<[string, unknown]>;
  nodePaths: Array<[string, string]>;
};

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "number" ? "a number" : typeof value === "boolean" ? "a boolean" : "a string";
}

function isObject(value: unknown): value is RawObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const EXAMPLE_HINT = 'A scene file looks like { "format": 1, "root": { "name": "Main", "type": "Node" } }.';
const THRESHOLDS_HINT =
  'Thresholds are k6\'s <method> <operator> <value> by metric: { "ws_connecting": ["p(95)<500"], "errors": ["count<1"] }.';
const NODE_HINT =
  'A node looks like { "name": "Main", "type": "Node" } or { "instance": "./other.scene.json" }.';
const CONNECTION_HINT =
  'A connection looks like { "from": "Timer", "signal": "timeout", "to": ".", "method": "onTimeout" }.';

/** Whether nodes of `info` are instances of `nodeClass` (the class itself or a subclass). */
function isA(info: NodeTypeInfo, nodeClass: NodeClassLike): boolean {
  return info.nodeClass === nodeClass || info.nodeClass.prototype instanceof nodeClass;
}
