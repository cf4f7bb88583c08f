import type { z } from "zod";
import {
  ALL_CONNECT_FLAGS,
  CONNECT_FLAG_NAMES,
  connectFlagNameSchema,
  connectFlagsNumberSchema,
  connectFlagsToNumber,
  connectionSchema,
  INVALID_NAME_CHARACTERS,
  instanceNodeSchema,
  SCENE_FORMAT_VERSION,
  sceneFileSchema,
  typedNodeSchema,
} from "./format";
import { ConnectFlags } from "../core/signals/ConnectFlags";
import { editPathProblem, materializeInstance, resolveEditPath } from "./editableOutline";
import { linkOf, pathLink, type JsonPathSegment, type PathLink } from "./jsonPath";
import { cursorLabel, OutlineNode, resolveOutlinePath, suggestNodePath } from "./outline";
import { DEFAULT_SCENE_LIMITS, type SceneLimits } from "./limits";
import { MESSAGES } from "./messages";
import type { ProblemList } from "./problems";
import {
  FORBIDDEN_KEYS,
  defaultNodeTypes,
  methodsOf,
  signalsOf,
  type NodeTypeInfo,
  type NodeTypeRegistry,
} from "./registry";
import { nodePathTargetClass, type NodeClassLike } from "../nodes/propSchemas";
import { suggestionHint } from "./suggest";
import { describeValue, reportZodIssues } from "./zodProblems";

// Read once: under tsx an imported binding is a getter call on every use, and these are used per node.
const TYPED_NODE_SCHEMA = typedNodeSchema;
const INSTANCE_NODE_SCHEMA = instanceNodeSchema;
const RESERVED_NAME_CHARACTERS = INVALID_NAME_CHARACTERS;
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
  /** The node types `"type"` may name (default: the default registry). */
  registry?: NodeTypeRegistry;
}

type RawObject = Record<string, unknown>;

/** A connection entry as its schema parses it; `flagIssues` when only its `flags` were refused. */
type ParsedConnection = z.output<typeof connectionSchema> & { flagIssues?: readonly z.core.$ZodIssue[] };

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
  private readonly registry: NodeTypeRegistry;
  private nodeCount = 0;
  private height = 0;
  private limitReported = false;

  constructor(
    private readonly problems: ProblemList,
    private readonly options: ValidateOptions<Sub>,
  ) {
    this.limits = options.limits ?? DEFAULT_SCENE_LIMITS;
    this.registry = options.registry ?? defaultNodeTypes;
  }

  validate(raw: unknown): SceneSpec<Sub> | null {
    const problems = this.problems;
    const before = problems.size;
    // What is not shaped like a scene at all is not described: it may be any JSON a path led to.
    if (!isObject(raw)) {
      problems.report([], MESSAGES.ERR_SCHEMA.notAnObject(kindOf(raw)));
      return null;
    }
    if (!Object.hasOwn(raw, "format") && !Object.hasOwn(raw, "root")) {
      problems.report([], MESSAGES.ERR_SCHEMA.notASceneFile());
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
        this.problems.report([...at, key], MESSAGES.ERR_FORBIDDEN_KEY.key(key), "key");
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
      const newer = typeof raw.format === "number" && raw.format > SCENE_FORMAT_VERSION;
      const got = describeValue(raw.format);
      problems.report(["format"], MESSAGES.ERR_UNSUPPORTED_FORMAT.format(got, SCENE_FORMAT_VERSION, newer));
      issues = issues.filter((issue) => issue.path[0] !== "format");
    }
    if (!Object.hasOwn(raw, "format")) {
      // A missing key, not a wrong value: said as a missing required prop is, at the file's top level.
      const version = String(SCENE_FORMAT_VERSION);
      problems.report([], MESSAGES.ERR_SCHEMA.missingProperty("format", "the scene file", version));
      issues = issues.filter((issue) => issue.path[0] !== "format");
    }
    if (!Object.hasOwn(raw, "root")) {
      problems.report([], MESSAGES.ERR_SCHEMA.noRoot());
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
      this.problems.report(["thresholds"], MESSAGES.ERR_WRONG_TYPE.thresholds(describeValue(raw.thresholds)));
      return true;
    }
    if (issue.code !== "custom" || issue.path.length < 2) return false;
    const metric = String(issue.path[1]);
    if (issue.path.length === 2) {
      this.problems.report(
        ["thresholds", metric],
        MESSAGES.ERR_INVALID_VALUE.thresholdMetric(metric, issue.message),
        "key",
      );
      return true;
    }
    const index = Number(issue.path[2]);
    const source = (raw.thresholds as Record<string, unknown[]>)[metric][index];
    const unsupported = (issue.params as { code?: string } | undefined)?.code === "ERR_THRESHOLD_UNSUPPORTED";
    this.problems.report(
      ["thresholds", metric, index],
      MESSAGES.ERR_INVALID_VALUE.threshold(source, metric, issue.message, unsupported),
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
      this.problems.report(at, MESSAGES.ERR_WRONG_TYPE.node(describeValue(raw)));
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
      this.problems.report(pathLink(at, key), MESSAGES.ERR_SCHEMA.placeholderKey(key), "key");
    }
    if (!parent) {
      this.problems.report(pathLink(at, "placeholder"), MESSAGES.ERR_SCHEMA.placeholderRoot(), "key");
    }
    if (name === null && !Object.hasOwn(raw, "name")) {
      this.problems.report(at, MESSAGES.ERR_SCHEMA.placeholderName());
    }
    this.nodeCount += 1;
    if (depth > this.height) this.height = depth;
    if (!this.withinLimits(at, depth)) return null;
    const info = this.registry.get("InstancePlaceholder") ?? null;
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
        const message =
          problem === null
            ? MESSAGES.ERR_BAD_NODE_PATH.editTarget(instance.label(), key, this.editHint(instance, key))
            : MESSAGES.ERR_BAD_NODE_PATH.editKey(problem);
        this.problems.report(entryAt, message, "key");
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
      this.problems.report(pathLink(at, "type"), MESSAGES.ERR_SCHEMA.typeAndInstance(), "key");
      issues = issues.filter(
        (issue) =>
          !(issue.code === "unrecognized_keys" && issue.path.length === 0 && issue.keys.includes("type")),
      );
    } else if (!isInstance && !Object.hasOwn(raw, "type")) {
      this.problems.report(at, MESSAGES.ERR_SCHEMA.noTypeNorInstance());
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
    const renamed = name.replace(new RegExp(INVALID_NAME_CHARACTERS, "g"), "_");
    this.problems.report(pathLink(at, "name"), MESSAGES.ERR_INVALID_NAME.reservedCharacter(name, renamed));
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
      this.problems.report(at, MESSAGES.ERR_LIMIT.depth(maxDepth));
    } else if (this.nodeCount > maxNodes) {
      this.problems.report(at, MESSAGES.ERR_LIMIT.nodes(maxNodes));
    } else return true;
    this.limitReported = true;
    return false;
  }

  private lookUpType(type: string, node: PathLink): NodeTypeInfo | null {
    const info = this.registry.get(type);
    if (info || this.options.typesMayComeFromScripts) return info ?? null;
    const names = this.registry.list().map((t) => t.name);
    const suggestion = suggestionHint(type, names, "Registered types", this.problems.suggestions);
    this.problems.report(pathLink(node, "type"), MESSAGES.ERR_UNKNOWN_TYPE.type(type, suggestion));
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
      this.problems.report(
        Object.hasOwn(raw, "name") ? pathLink(at, "name") : at,
        MESSAGES.ERR_DUPLICATE_NAME.sibling(parent.label(), node.name),
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
      this.problems.report(
        Object.hasOwn(raw, "uniqueNameInOwner") ? pathLink(at, "uniqueNameInOwner") : at,
        MESSAGES.ERR_DUPLICATE_NAME.unique(node.name, taken.label()),
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
      const issues = result.error.issues;
      reportZodIssues(this.problems, issues, pathLink(node, "props"), raw, {
        what: `${info.name} props`,
        knownKeys: Object.keys(info.propsSchema.shape),
      });
      // The NodePath props that passed their own schema are still checked, so that a bad path is
      // reported with the rest and not only once the other props are fixed.
      for (const key of info.nodePathProps) {
        const value = raw[key];
        if (typeof value !== "string" || issues.some((issue) => issue.path[0] === key)) continue;
        this.checkNodePathLater(info, outline, node, key, value);
      }
      return { props, nodePaths };
    }
    for (const key of Object.keys(result.data)) {
      const value = result.data[key];
      if (value === undefined) continue;
      if (info.nodePathProps.has(key) && typeof value === "string") {
        nodePaths.push([key, value]);
        this.checkNodePathLater(info, outline, node, key, value);
      } else props.push([key, value]);
    }
    return { props, nodePaths };
  }

  private checkNodePathLater(
    info: NodeTypeInfo,
    outline: OutlineNode,
    at: PathLink,
    key: string,
    path: string,
  ): void {
    const targetClass = nodePathTargetClass((info.propsSchema.shape as Record<string, z.ZodType>)[key]);
    this.pendingNodePaths.push({ node: outline, path, at, key, targetClass });
  }

  /** NodePath props must point at a node of this scene, checked once the whole outline exists. */
  private checkNodePaths(): void {
    for (const { node, path, at, key, targetClass } of this.pendingNodePaths) {
      const absolute = path.startsWith("/");
      const target = absolute ? null : resolveOutlinePath(node, path)?.node;
      if (absolute) {
        this.problems.report(pathLink(at, "props", key), MESSAGES.ERR_BAD_NODE_PATH.absolute(path));
      } else if (!target) {
        const hint = this.pathHint(path, node);
        this.problems.report(
          pathLink(at, "props", key),
          MESSAGES.ERR_BAD_NODE_PATH.noNode(path, node.label(), hint),
        );
      } else if (targetClass && target.info && !isA(target.info, targetClass)) {
        const problem = MESSAGES.ERR_BAD_NODE_PATH.wrongClass(path, target.info.name, targetClass.name);
        this.problems.report(pathLink(at, "props", key), problem);
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
        this.problems.report(at, MESSAGES.ERR_WRONG_TYPE.connection(describeValue(entry)));
        continue;
      }
      const c = this.parseConnection(entry, at);
      if (!c) continue;
      const before = this.problems.size;
      const ends = this.checkConnectionEnds(root, c, at);
      if (c.flagIssues) {
        // Reported after the ends, in the order of the entry's keys; whether it is a duplicate is not known.
        this.reportFlags(entry, linkOf(at), c.flagIssues);
        continue;
      }
      const flags = connectFlagsToNumber(c.flags);
      const key = JSON.stringify([c.from, c.signal, c.to, c.method, c.binds ?? []]);
      if (seen.has(key) && !(flags & ConnectFlags.REFERENCE_COUNTED)) {
        const problem = MESSAGES.ERR_BAD_CONNECTION.duplicate(ends.from, c.signal, ends.to, c.method);
        this.problems.report(at, problem);
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

  /**
   * The connection entry as its schema parses it, or null after reporting. Bad `flags` come back as
   * `flagIssues`, for {@link reportFlags}, the rest of the entry still checked.
   */
  private parseConnection(entry: RawObject, at: JsonPathSegment[]): ParsedConnection | null {
    const parsed = connectionSchema.safeParse(entry);
    if (parsed.success) return parsed.data;
    const link = linkOf(at);
    const issues = parsed.error.issues.filter((issue) => issue.path[0] !== "flags");
    const flagIssues = parsed.error.issues.filter((issue) => issue.path[0] === "flags");
    if (issues.length > 0) {
      reportZodIssues(this.problems, issues, link, entry, {
        what: "a connection",
        knownKeys: Object.keys(connectionSchema.shape),
      });
      if (flagIssues.length > 0) this.reportFlags(entry, link, flagIssues);
      return null;
    }
    const rest: RawObject = { ...entry };
    delete rest.flags;
    const without = connectionSchema.safeParse(rest);
    return without.success ? { ...without.data, flagIssues } : null;
  }

  /**
   * A connection's `flags` its schema refused: each unknown name where it is written, as an enum prop's
   * is (did-you-mean and the accepted names); a number with bits no flag has, naming the flags.
   */
  private reportFlags(entry: RawObject, at: PathLink | null, issues: readonly z.core.$ZodIssue[]): void {
    const value = entry.flags;
    const flagsAt = pathLink(at, "flags");
    const options = { what: "flags" };
    const problems = this.problems;
    if (typeof value === "number" && Number.isInteger(value) && value > ALL_CONNECT_FLAGS) {
      const known = CONNECT_FLAG_NAMES.map(
        (name) => `${name} (${ConnectFlags[name as keyof typeof ConnectFlags]})`,
      );
      const unknown = value - (value % (ALL_CONNECT_FLAGS + 1)); // the bits above the known ones
      const list = `${known.slice(0, -1).join(", ")} and ${known[known.length - 1]}`;
      problems.report(
        flagsAt,
        MESSAGES.ERR_INVALID_VALUE.connectFlagBits(
          String(value),
          String(unknown),
          list,
          String(ALL_CONNECT_FLAGS),
        ),
      );
    } else if (typeof value === "number") {
      const numberIssues = connectFlagsNumberSchema.safeParse(value).error?.issues ?? NO_ISSUES;
      reportZodIssues(problems, numberIssues, flagsAt, value, options);
    } else if (typeof value === "string") {
      const nameIssues = connectFlagNameSchema.safeParse(value).error?.issues ?? NO_ISSUES;
      reportZodIssues(problems, nameIssues, flagsAt, value, options);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const nameIssues = connectFlagNameSchema.safeParse(value[i]).error?.issues ?? NO_ISSUES;
        reportZodIssues(problems, nameIssues, pathLink(flagsAt, i), value[i], options);
      }
    } else {
      reportZodIssues(problems, issues, at, entry, { what: "a connection" });
    }
  }

  /**
   * Both ends of a connection lead to nodes, the signal is the first's and the method the second's.
   * Returns how messages name the ends: by path from the scene root, the root's name first.
   */
  private checkConnectionEnds(
    root: OutlineNode,
    c: { from: string; signal: string; to: string; method: string },
    at: JsonPathSegment[],
  ): { from: string; to: string } {
    const from = this.connectionEnd(root, c.from, [...at, "from"]);
    const to = this.connectionEnd(root, c.to, [...at, "to"]);
    const suggestions = this.problems.suggestions;
    if (from?.info) {
      const signals = signalsOf(from.info);
      if (!signals.has(c.signal)) {
        const hint = suggestionHint(c.signal, signals, `Signals of ${from.info.name}`, suggestions);
        const problem = MESSAGES.ERR_BAD_CONNECTION.noSignal(from.info.name, from.label(), c.signal, hint);
        this.problems.report([...at, "signal"], problem);
      }
    }
    if (to?.info) {
      const methods = methodsOf(to.info);
      if (!methods.has(c.method)) {
        const guess = suggestionHint(c.method, methods, "", suggestions).split("?")[0];
        const problem = MESSAGES.ERR_BAD_CONNECTION.noMethod(to.info.name, to.label(), c.method, guess);
        this.problems.report([...at, "method"], problem);
      }
    }
    // An end that leads nowhere (reported) is named as written: it is never ".", which always leads.
    return { from: from ? from.label() : c.from, to: to ? to.label() : c.to };
  }

  /** The node a connection path leads to (its type, and how to name it), or null after reporting. */
  private connectionEnd(
    root: OutlineNode,
    path: string,
    at: JsonPathSegment[],
  ): { info: NodeTypeInfo | null; label(): string } | null {
    const cursor = path.startsWith("/") ? null : resolveOutlinePath(root, path);
    if (!cursor) {
      const hint = this.pathHint(path, root);
      this.problems.report(at, MESSAGES.ERR_BAD_CONNECTION.noNode(path, root.label(), hint));
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

/** Whether nodes of `info` are instances of `nodeClass` (the class itself or a subclass). */
function isA(info: NodeTypeInfo, nodeClass: NodeClassLike): boolean {
  return info.nodeClass === nodeClass || info.nodeClass.prototype instanceof nodeClass;
}
