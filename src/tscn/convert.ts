import * as path from "node:path";
import { echoed, echoedWords } from "../core/echo";
import { ConnectFlags } from "../scene/GodotObject";
import { validateNodeName } from "../scene/naming";
import { resolveLimits, type SceneLimits } from "../loader/limits";
import { realPath } from "../loader/projectPolicy";
import { ReadBudget, ReadRefusal } from "../loader/readBudget";
import {
  defaultNodeTypes,
  methodsOf,
  signalsOf,
  type NodeTypeInfo,
  type NodeTypeRegistry,
} from "../loader/registry";
import {
  parseTscnDocument,
  type Located,
  type PropertyLine,
  type Section,
  type TscnDocument,
} from "./document";
import { isGodotModel, TscnError, type TscnWarning, type TscnWarningCode } from "./errors";
import { toJson, Unrepresentable } from "./json";
import { signalName, snakeToCamel } from "./naming";
import { findGodotProject, isFile, readGdScript, relativeRef, resolveResPath } from "./project";
import { isEditorOnly, isGodot3EditorMeta, propertyRule } from "./properties";
import type {
  ConvertedSubScene,
  GdScriptUse,
  JsonScene,
  JsonSceneConnection,
  JsonSceneEdit,
  JsonSceneNode,
} from "./scene";
import type { TscnValue } from "./values";

/** How `instance=ExtResource(...)` of a `.tscn` is written. */
export type InstanceMode = "tscn" | "json";

export interface ConvertOptions {
  /** Godot project folder for `res://` paths. Default: the nearest folder above the scene with a `project.godot`. */
  projectRoot?: string;
  /** Where the JSON will be written; `"instance"` paths are relative to its folder. Default: `<scene>.scene.json` beside the `.tscn`. */
  outFile?: string;
  /**
   * `"tscn"` (default): an instanced sub-scene is referenced as its `.tscn` (scenetree converts it when
   * loading). `"json"`: as `<name>.scene.json` beside the sub-scene's `.tscn`, converted too and returned
   * in `subScenes` for the caller to write.
   */
  instances?: InstanceMode;
  /**
   * The loader's limits, applied to the conversion: `maxFileBytes`, `maxTotalBytes` and `maxFiles` for
   * the `.tscn` files read, `maxDepth` for how deep nodes nest. Defaults as for `loadScene`.
   */
  limits?: Partial<SceneLimits>;
  /**
   * The node types Godot classes and scripts map to (a class with no type here becomes a plain Node).
   * Default: the default registry, the one `registerNodeType` fills.
   */
  registry?: NodeTypeRegistry;
}

export interface TscnImportResult {
  /** The scene in scenetree's JSON format, ready for `JSON.stringify`. */
  scene: JsonScene;
  /** Everything converted with a loss or left out, in this scene and its sub-scenes, each with file:line. */
  warnings: TscnWarning[];
  /** The GDScripts on nodes (in this scene and its sub-scenes) and what became of each. */
  scripts: GdScriptUse[];
  /** Sub-scenes converted along the way, deepest first. Only `instances: "json"` needs them written. */
  subScenes: ConvertedSubScene[];
}

/**
 * Godot scripts scenetree ships a node for: the seed addons' WebSocket nodes. Keys are a script's
 * class_name or its file name in PascalCase.
 */
const SCRIPT_ALIASES: Readonly<Record<string, string>> = {
  WebSocket: "WebSocketNode",
  Websocket: "WebSocketNode",
  WebsocketClient: "WebsocketClient",
};

/** scenetree's types that are Godot classes too: a script's file name alone does not pick them. */
const GODOT_CLASS_TYPES: ReadonlySet<string> = new Set([
  "Node",
  "Timer",
  "InstancePlaceholder",
  "WebSocketServer",
]);

/** The scenetree types scenetree itself provides (a warning says how to get them when unregistered). */
const BUILTIN_NODE_MODULES: Readonly<Record<string, string>> = {
  WebSocketNode: "scenetree's WebSocket nodes",
  WebsocketClient: "scenetree's WebSocket nodes",
};

interface Converted {
  scene: JsonScene;
  /** The scenetree type of the scene's root node (through inherited scenes), null if not known. */
  rootType: string | null;
  /** Every node the scene builds, instanced sub-scenes' included, by path from the root ("." itself). */
  nodeTypes: ReadonlyMap<string, string | null>;
}

interface ExtResource {
  id: string;
  type: string;
  /** As written (`res://...`). */
  path: string;
  /** Absolute. */
  file: string;
  line: number;
}

interface SubResource {
  id: string;
  type: string;
  props: PropertyLine[];
  line: number;
}

interface NodeEntry {
  json: JsonSceneNode;
  /** Relative to the scene root: "." or "A/B". */
  path: string;
  /** The scenetree type its props and connections are checked against (a sub-scene's root type for instances). */
  type: string | null;
  /** The node is an instanced sub-scene: paths below it lead into that scene. */
  isInstance: boolean;
  /** Scripted node that kept no script type: connections to it say so. */
  script: string | null;
  /** For an instance: the nodes its sub-scene builds, by path from its root. */
  subTypes: ReadonlyMap<string, string | null> | null;
  /** A node of an instanced sub-scene this file changes: the instance, and its path there. */
  editOf: { instance: NodeEntry; key: string } | null;
  /** An instanced 3D model, which became a plain Node: the model as the scene names it (`res://a.glb`). */
  model: string | null;
}

/** A conversion asks for a sub-scene (a real path) it instances, and gets it back converted. */
interface SubSceneRequest {
  file: string;
  /** The files instancing it, top first (real paths). */
  chain: readonly string[];
  /** The `instance=` that names it. */
  at: { file: string; line: number; column: number };
}

type Conversion = Generator<SubSceneRequest, Converted, Converted>;

/** Converts one `.tscn` and the sub-scenes it instances; shares a cache across them. */
export class TscnImporter {
  /** Converted files by real path: a file reached by several paths is read and converted once. */
  private readonly cache = new Map<string, Converted>();
  readonly warnings: TscnWarning[] = [];
  readonly scripts: GdScriptUse[] = [];
  readonly subScenes: ConvertedSubScene[] = [];
  readonly limits: SceneLimits;
  readonly registry: NodeTypeRegistry;
  private readonly budget: ReadBudget;

  /**
   * `budget`: what the files read may cost, shared with the load that asks for the conversion.
   * `typesMayComeFromScripts`: a first look for a load that has yet to import its scenes' scripts,
   * which may register the types the files name: a script's class or a Godot class no type is
   * registered under yet is written as it is (not as a plain Node), as a JSON scene naming it would be.
   * The load converts again once the scripts ran; such a conversion's warnings are not the real ones.
   */
  constructor(
    private readonly options: ConvertOptions = {},
    budget?: ReadBudget,
    readonly typesMayComeFromScripts = false,
  ) {
    this.budget = budget ?? new ReadBudget(resolveLimits(options.limits));
    this.limits = this.budget.limits;
    this.registry = options.registry ?? defaultNodeTypes;
  }

  /** `quote`: whether errors may show pieces of the text (false for a file that is not a `.tscn`). */
  convert(
    text: string,
    file: string,
    outFile: string,
    chain: readonly string[] = [],
    quote = true,
  ): Converted {
    return this.run(this.conversion(text, file, outFile, chain, quote));
  }

  /** The conversion of `file` (a real path) if this importer already made it. */
  converted(file: string): Converted | undefined {
    return this.cache.get(file);
  }

  /** Converts `text`, the file at real path `file`, and keeps the result for sub-scenes naming it. */
  convertFile(text: string, file: string): Converted {
    const converted = this.convert(text, file, file);
    this.cache.set(file, converted);
    return converted;
  }

  private conversion(
    text: string,
    file: string,
    outFile: string,
    chain: readonly string[],
    quote: boolean,
  ): Conversion {
    const doc = parseTscnDocument(text, file, quote);
    return new SceneConverter(this, doc, outFile, chain).convert();
  }

  /**
   * Runs a conversion and those of the sub-scenes it asks for (each converted once) with an explicit
   * stack: a chain of sub-scenes as deep as the limits allow does not run out of stack.
   */
  private run(top: Conversion): Converted {
    const stack: Array<{ conversion: Conversion; file: string | null }> = [{ conversion: top, file: null }];
    let reply: Converted | undefined;
    for (;;) {
      const frame = stack[stack.length - 1];
      const step = frame.conversion.next(reply!);
      if (step.done) {
        stack.pop();
        if (frame.file !== null) {
          this.cache.set(frame.file, step.value);
          this.subScenes.push({ source: frame.file, file: jsonFileFor(frame.file), scene: step.value.scene });
        }
        if (stack.length === 0) return step.value;
        reply = step.value;
        continue;
      }
      const { file, chain, at } = step.value;
      reply = this.knownSubScene(file, chain, at);
      if (reply) continue;
      const text = this.read(file, at);
      stack.push({ conversion: this.conversion(text, file, jsonFileFor(file), chain, true), file });
    }
  }

  /** A sub-scene already converted, or undefined; a cycle or one nested too deep is an error at `at`. */
  private knownSubScene(
    file: string,
    chain: readonly string[],
    at: SubSceneRequest["at"],
  ): Converted | undefined {
    if (chain.includes(file)) {
      const cycle = [...chain.slice(chain.indexOf(file)), file].map((f) => path.basename(f)).join(" → ");
      throw new TscnError(
        "ERR_INSTANCE_CYCLE",
        at.file,
        at.line,
        at.column,
        `Scenes instance each other: ${cycle}.`,
      );
    }
    const cached = this.cache.get(file);
    if (cached) return cached;
    if (chain.length >= this.limits.maxDepth)
      throw new TscnError(
        "ERR_LIMIT",
        at.file,
        at.line,
        at.column,
        `Sub-scenes are nested deeper than ${this.limits.maxDepth} levels.`,
      );
    return undefined;
  }

  private read(file: string, at: { file: string; line: number; column: number }): string {
    try {
      return this.budget.readSync(file);
    } catch (error) {
      if (!(error instanceof ReadRefusal)) throw error;
      const limit = error.kind !== "missing" && error.kind !== "unreadable";
      const detail =
        error.kind === "missing"
          ? `Sub-scene not found: ${file}.`
          : limit
            ? `Sub-scene ${file}: ${error.message}`
            : `Sub-scene ${file} can't be read: ${error.message}`;
      throw new TscnError(limit ? "ERR_LIMIT" : "ERR_MISSING_FILE", at.file, at.line, at.column, detail);
    }
  }

  get instanceMode(): InstanceMode {
    return this.options.instances ?? "tscn";
  }

  /** Whether the caller named the project folder (--project / projectRoot) rather than the files. */
  get projectGiven(): boolean {
    return this.options.projectRoot !== undefined;
  }

  projectRootFor(file: string): string | null {
    return this.options.projectRoot
      ? path.resolve(this.options.projectRoot)
      : findGodotProject(path.dirname(file));
  }

  warn(code: TscnWarningCode, file: string, line: number, message: string): void {
    this.warnings.push({ code, file, line, message: echoedWords(message) });
  }
}

/** `foo.tscn` → `foo.scene.json` in the same folder. */
export function jsonFileFor(tscnFile: string): string {
  return tscnFile.replace(/\.tscn$/i, "") + ".scene.json";
}

const KNOWN_NODE_ATTRS = new Set([
  "name",
  "type",
  "parent",
  "instance",
  "instance_placeholder",
  "groups",
  "index",
  "owner",
  "unique_name_in_owner",
  "node_paths",
  // Godot 4.6's editor bookkeeping: the node's id, and the ids of the nodes above it.
  "unique_id",
  "parent_id_path",
]);

/** Bits of Godot's ConnectFlags the JSON format can carry (PERSIST is implied for scene connections). */
const FLAG_NAMES: ReadonlyArray<[number, string]> = [
  [ConnectFlags.DEFERRED, "DEFERRED"],
  [ConnectFlags.ONE_SHOT, "ONE_SHOT"],
  [ConnectFlags.REFERENCE_COUNTED, "REFERENCE_COUNTED"],
];

class SceneConverter {
  private readonly file: string;
  private readonly outFolder: string;
  private readonly ext = new Map<string, ExtResource>();
  private readonly sub = new Map<string, SubResource>();
  private readonly usedSubs = new Set<string>();
  private readonly nodes = new Map<string, NodeEntry>();
  /** The %unique names this file's nodes took, to the path of the node that took each. */
  private readonly uniqueNames = new Map<string, string>();
  private readonly projectRoot: string;
  private readonly foundProject: boolean;
  private projectWarned = false;
  private loadTimeProjectWarned = false;
  private root: NodeEntry | null = null;
  private rootName = "";
  /** This file's warnings, handed to the importer in line order when the file is done. */
  private readonly warnings: TscnWarning[] = [];

  constructor(
    private readonly importer: TscnImporter,
    private readonly doc: TscnDocument,
    outFile: string,
    private readonly chain: readonly string[],
  ) {
    this.file = doc.file;
    this.outFolder = path.dirname(path.resolve(outFile));
    const found = importer.projectRootFor(path.resolve(doc.file));
    this.projectRoot = found ?? path.dirname(path.resolve(doc.file));
    this.foundProject = found !== null;
  }

  *convert(): Conversion {
    this.checkHeader();
    for (const section of this.doc.sections) {
      if (section.tag === "ext_resource") this.addExtResource(section);
      else if (section.tag === "sub_resource") this.addSubResource(section);
    }
    const connections: JsonSceneConnection[] = [];
    for (const section of this.doc.sections) {
      switch (section.tag) {
        case "ext_resource":
        case "sub_resource":
          break;
        case "node":
          yield* this.addNode(section);
          break;
        case "connection": {
          const connection = this.connection(section);
          if (connection) connections.push(connection);
          break;
        }
        case "editable":
          this.markEditable(section);
          break;
        default:
          this.warn("W_UNSUPPORTED", section, `[${section.tag}] sections are not part of a scene; left out.`);
      }
    }
    if (!this.root)
      throw new TscnError(
        "ERR_TSCN_STRUCTURE",
        this.file,
        this.doc.header.line,
        this.doc.header.column,
        "The scene has no [node] section: nothing to convert.",
      );
    for (const section of this.doc.sections) {
      for (const p of section.props) collectSubResourceIds(p.value, this.usedSubs);
    }
    for (const [id, resource] of this.sub) {
      if (!this.usedSubs.has(id))
        this.warn(
          "W_UNSUPPORTED",
          resource,
          `[sub_resource type="${resource.type}" id=${JSON.stringify(id)}] is not used by any node; left out.`,
        );
    }
    const sorted = this.warnings
      .map((w, i) => [w, i] as const)
      .sort((a, b) => a[0].line - b[0].line || a[1] - b[1]);
    for (const [w] of sorted) this.importer.warn(w.code, w.file, w.line, w.message);
    for (const entry of this.nodes.values()) {
      // A change whose every prop was dropped (warned) leaves nothing to say about that node.
      const editable = entry.json.editable;
      for (const key of Object.keys(editable ?? {}))
        if (Object.keys(editable![key]).length === 0) delete editable![key];
    }
    const scene: JsonScene = { format: 1, root: this.root.json };
    if (connections.length > 0) scene.connections = connections;
    return { scene, rootType: this.root.type, nodeTypes: this.nodeTypes() };
  }

  /** What sub-scenes instancing this one look up to convert the changes they make inside it. */
  private nodeTypes(): Map<string, string | null> {
    const types = new Map<string, string | null>();
    for (const [at, entry] of this.nodes) {
      for (const [inner, type] of entry.subTypes ?? []) {
        if (inner !== ".") types.set(at === "." ? inner : `${at}/${inner}`, type);
      }
    }
    for (const [at, entry] of this.nodes) types.set(at, entry.type);
    return types;
  }

  /**
   * `[editable path="Sub"]`: the instance's children may be changed. The JSON says so with an
   * `"editable"` object on the instance (the changes themselves are its `parent=` nodes).
   */
  private markEditable(section: Section): void {
    const at = normalizePath(this.attrString(section, "path") ?? "");
    const entry = this.nodes.get(at);
    const model = entry ? null : this.modelAbove(at);
    if (entry?.model || model) {
      const node = entry ?? model!;
      this.warn(
        "W_MODEL",
        section,
        `[editable path=${JSON.stringify(at)}]: the 3D model "${node.model}" instanced at ${this.label(node.path)} is not brought over, so there are no children of it to edit; ignored.`,
      );
      return;
    }
    const instance = entry?.isInstance
      ? entry
      : (entry?.editOf?.instance ?? this.instanceAbove(at)?.instance);
    if (instance) {
      instance.json.editable ??= {};
      return;
    }
    this.warn(
      "W_UNSUPPORTED",
      section,
      `[editable path=${JSON.stringify(at)}]: no instanced scene at that path; ignored.`,
    );
  }

  private checkHeader(): void {
    for (const [key, attr] of this.doc.header.attrs) {
      if (key !== "load_steps" && key !== "format" && key !== "uid")
        this.warn("W_UNSUPPORTED", attr, `Header attribute ${key}= is not used by scenetree; ignored.`);
    }
  }

  // --- resources -------------------------------------------------------------------------------

  private addExtResource(section: Section): void {
    const id = this.requireId(section);
    const type = this.attrString(section, "type") ?? "";
    const resPath = this.attrString(section, "path");
    if (resPath === null) throw this.structure(section, "[ext_resource] needs a path=.");
    if (this.ext.has(id))
      throw this.structure(section, `Two [ext_resource] sections with id=${JSON.stringify(id)}.`);
    this.ext.set(id, { id, type, path: resPath, file: this.resolve(resPath, section), line: section.line });
  }

  private addSubResource(section: Section): void {
    const id = this.requireId(section);
    if (this.sub.has(id))
      throw this.structure(section, `Two [sub_resource] sections with id=${JSON.stringify(id)}.`);
    this.sub.set(id, {
      id,
      type: this.attrString(section, "type") ?? "",
      props: section.props,
      line: section.line,
    });
  }

  private requireId(section: Section): string {
    const id = section.attrs.get("id");
    if (!id || (typeof id.value !== "string" && typeof id.value !== "number"))
      throw this.structure(
        section,
        `[${section.tag}] needs an id= (a number in Godot 3, a string in Godot 4).`,
      );
    return String(id.value);
  }

  private resolve(resPath: string, at: { line: number }): string {
    if (resPath.startsWith("res://") && !this.foundProject && !this.projectWarned) {
      this.projectWarned = true;
      this.warn(
        "W_NO_PROJECT",
        at,
        `No project.godot above ${this.file}: res:// paths are resolved from the scene's folder (${this.projectRoot}). Put a project.godot in the Godot project's folder, or pass --project DIR to scenetree import (projectRoot in code).`,
      );
    }
    return resolveResPath(resPath, this.projectRoot, path.dirname(path.resolve(this.file)));
  }

  /**
   * Why a missing res:// file was looked for where it was: an addon's repository has no project.godot, so
   * res:// became the scene's own folder. The W_NO_PROJECT warning says so too, but an error ends the import
   * before any warning is printed.
   */
  private noProjectHint(resPath: string): string {
    if (this.foundProject || !resPath.startsWith("res://")) return "";
    return ` There is no project.godot above the scene, so res:// is its folder: put one in the Godot project's folder (scenetree import also takes --project DIR, code projectRoot).`;
  }

  /**
   * A `.tscn` instance is converted again whenever the JSON loads, and that conversion finds the
   * project by its project.godot alone: with --project naming a folder without one (dialogic's addon
   * repository), the import succeeds but its output does not load. Warned once per file.
   */
  private checkLoadTimeProject(attr: Located, resource: { path: string; file: string }): void {
    if (this.loadTimeProjectWarned || !this.importer.projectGiven) return;
    if (findGodotProject(path.dirname(resource.file)) === this.projectRoot) return;
    this.loadTimeProjectWarned = true;
    this.warn(
      "W_NO_PROJECT",
      attr,
      `"${resource.path}" stays a .tscn, which scenetree run and validate convert when they load it, finding the project by its project.godot: there is none at ${this.projectRoot}, so its res:// paths will not resolve then. Put a project.godot there, or import with --instances json.`,
    );
  }

  private extResource(located: Located, what: string): ExtResource {
    const value = located.value;
    if (value === null || typeof value !== "object" || value.kind !== "extResource")
      throw this.structure(located, `${what} must be ExtResource(...).`);
    const resource = this.ext.get(value.id);
    if (!resource)
      throw this.structure(
        located,
        `ExtResource(${JSON.stringify(value.id)}): no [ext_resource] has that id.`,
      );
    return resource;
  }

  // --- nodes -----------------------------------------------------------------------------------

  private *addNode(section: Section): Generator<SubSceneRequest, void, Converted> {
    let name = this.attrString(section, "name");
    if (name === null || name === "") throw this.structure(section, "[node] needs a name=.");
    // Godot 3 builds a scene's nodes without checking their names, so a model's "house.001" survives in
    // its files; scenetree's names can't hold path characters, and a converted scene would not load.
    if (validateNodeName(name) !== name)
      throw this.structure(
        section,
        `Node name ${JSON.stringify(echoed(name))} has a character scenetree reserves for node paths (. : @ / " %); rename it in Godot (e.g. ${JSON.stringify(echoed(validateNodeName(name)))})${this.moreBadNames(section)} and save the scene again.`,
      );
    if (!this.root) this.rootName = name;
    const parentAttr = section.attrs.get("parent");
    for (const [key, attr] of section.attrs) {
      if (!KNOWN_NODE_ATTRS.has(key))
        this.warn("W_UNSUPPORTED", attr, `Node attribute ${key}= is not used by scenetree; ignored.`);
    }
    let parent: NodeEntry | null = null;
    let nodePath = ".";
    if (parentAttr) {
      if (typeof parentAttr.value !== "string") throw this.structure(parentAttr, "parent= must be a string.");
      if (!this.root)
        throw this.structure(
          section,
          `Node "${name}" has a parent= but comes before the root node (the one without parent=).`,
        );
      const parentPath = normalizePath(parentAttr.value);
      parent = this.nodes.get(parentPath) ?? null;
      nodePath = parentPath === "." ? name : `${parentPath}/${name}`;
      if (parent?.editOf) parent = null; // a node of a sub-scene: changed through its instance
      const addsNode = ["instance", "type", "instance_placeholder"].some((key) => section.attrs.has(key));
      if (parent && addsNode && this.nodes.has(nodePath)) {
        // Godot renames a second child of that name when it loads the scene (add_child with a readable
        // name: "A" becomes "A2"), and paths to "A" keep meaning the first one. A scene file refuses
        // duplicate siblings, so the converted scene would not load without the same renaming.
        const taken = name;
        const base = /^(.*?)(\d*)$/.exec(taken)!;
        let serial = base[2] === "" ? 2 : Number(base[2]) + 1;
        const siblingPath = (candidate: string) =>
          parentPath === "." ? candidate : `${parentPath}/${candidate}`;
        while (this.nodes.has(siblingPath(`${base[1]}${serial}`))) serial++;
        name = `${base[1]}${serial}`;
        nodePath = siblingPath(name);
        this.warn(
          "W_UNSUPPORTED",
          section,
          `Node "${name}": ${this.label(parentPath)} already has a child named "${taken}", so this one is renamed "${name}", as Godot renames it when it loads the scene; paths to "${taken}" mean the first one. Rename one of them in Godot and save the scene again.`,
        );
      }
      const depth = nodePath.split("/").length + 1;
      if (depth > this.importer.limits.maxDepth)
        throw new TscnError(
          "ERR_LIMIT",
          this.file,
          section.line,
          section.column,
          `Node "${name}" is nested deeper than ${this.importer.limits.maxDepth} levels.`,
        );
      const inside = parent ? null : this.instanceAbove(parentPath);
      const model = parent ? null : this.modelAbove(parentPath);
      if (model) return this.leaveOutOfModel(section, model, nodePath);
      if (!parent && !inside)
        throw this.structure(parentAttr, `Node "${name}": no node at parent path "${parentAttr.value}".`);
      const hasKind = ["instance", "type", "instance_placeholder"].some((key) => section.attrs.has(key));
      if (parent?.model && !hasKind) return this.leaveOutOfModel(section, parent, nodePath);
      if (parent?.isInstance && !hasKind)
        return this.editNode(section, { instance: parent, key: name }, nodePath);
      if (inside) {
        const key = inside.key === "." ? name : `${inside.key}/${name}`;
        if (!hasKind) return this.editNode(section, { instance: inside.instance, key }, nodePath);
        parent = this.editEntry(inside.instance, inside.key, parentPath);
      }
    } else if (this.root) {
      throw this.structure(
        section,
        `Node "${name}" has no parent= but the scene already has a root ("${this.root.json.name}").`,
      );
    }

    const instanceAttr = section.attrs.get("instance");
    const typeAttr = this.attrString(section, "type");
    if (!instanceAttr && typeAttr === null && !section.attrs.has("instance_placeholder")) {
      if (!parent) throw this.structure(section, `The root node "${name}" has neither type= nor instance=.`);
      this.warn(
        "W_UNSUPPORTED",
        section,
        `Node ${this.label(nodePath)} has no type=: it overrides a node of an inherited or instanced scene, which a JSON scene can't express; left out${this.listProps(section)}.`,
      );
      return;
    }
    for (const key of ["index", "owner"]) {
      const attr = section.attrs.get(key);
      if (attr)
        this.warn(
          "W_UNSUPPORTED",
          attr,
          key === "index"
            ? `index=${JSON.stringify(attr.value)} on node "${nodePath}" is not supported; children keep their file order.`
            : `owner=${JSON.stringify(attr.value)} on node "${nodePath}" is not supported; the node is owned by the scene's root, as every node a JSON scene builds is.`,
        );
    }

    const json: JsonSceneNode = { name };
    const entry: NodeEntry = {
      json,
      path: nodePath,
      type: null,
      isInstance: false,
      script: null,
      subTypes: null,
      editOf: null,
      model: null,
    };
    const godotClass = typeAttr ?? "";
    const placeholderAttr = section.attrs.get("instance_placeholder");
    if (placeholderAttr && !instanceAttr) {
      // Godot's "Load as Placeholder": an InstancePlaceholder until the game asks for the scene.
      const sub = yield* this.placeholderNode(placeholderAttr, json);
      entry.type = sub.rootType; // its props are the sub-scene root's
      this.instanceScript(section, nodePath, entry, String(placeholderAttr.value));
    } else if (instanceAttr && this.modelOf(instanceAttr)) {
      entry.model = this.modelOf(instanceAttr)!.path;
      entry.type = this.modelNodeType(section, instanceAttr, nodePath, entry);
      json.type = entry.type;
    } else if (instanceAttr) {
      entry.isInstance = true;
      const sub = yield* this.instanceNode(instanceAttr, json);
      entry.type = sub.rootType;
      entry.subTypes = sub.nodeTypes;
      if (placeholderAttr) json.placeholder = true;
      this.instanceScript(section, nodePath, entry, this.extResource(instanceAttr, "instance=").path);
    } else {
      entry.type = this.nodeType(section, godotClass, nodePath, entry);
      json.type = entry.type;
    }
    const props = this.props(section, godotClass, entry);
    if (json.placeholder) {
      entry.isInstance = false; // nothing below a placeholder exists until it is instanced
      entry.subTypes = null;
      entry.type = "InstancePlaceholder";
    }
    if (Object.keys(props).length > 0) json.props = props;
    const groups = this.groups(section);
    if (groups.length > 0) json.groups = groups;
    if (this.isUnique(section)) {
      const holder = this.uniqueNames.get(name);
      // Godot refuses the second node the name ("already unique") and %Name stays the first one's;
      // a scene file refuses the pair, so the converted scene would not load with both.
      if (holder === undefined) {
        this.uniqueNames.set(name, nodePath);
        json.uniqueNameInOwner = true;
      } else
        this.warn(
          "W_UNSUPPORTED",
          section,
          `Node ${this.label(nodePath)}: unique_name_in_owner left out, as Godot leaves it when it loads the scene: ${this.label(holder)} already has the unique name "%${name}". Rename one of them in Godot and save the scene again.`,
        );
    }
    // The issue asks the importer to record a node's script on the node, mapped to a class or not.
    const scriptUse = this.importer.scripts.find((use) => use.file === this.file && use.node === nodePath);
    if (scriptUse) json.script = scriptUse.script;

    if (parent) (parent.json.children ??= []).push(json);
    else this.root = entry;
    this.nodes.set(nodePath, entry);
  }

  /**
   * A script on an instance (an inherited scene's root included): recorded as the node's `"script"`,
   * its values checked as the instance's props, with a warning that no type comes of it.
   */
  private instanceScript(section: Section, nodePath: string, entry: NodeEntry, scene: string): void {
    const line = section.props.find((p) => p.key === "script");
    if (line) this.scriptType(line, "", nodePath, entry, { scene, rootType: entry.type });
  }

  /** The 3D model `instance=` names, or null when it names something else (a scene). */
  private modelOf(attr: Located): ExtResource | null {
    const value = attr.value;
    if (value === null || typeof value !== "object" || value.kind !== "extResource") return null;
    const resource = this.ext.get(value.id);
    return resource && isGodotModel(resource.file) ? resource : null;
  }

  /**
   * An instanced 3D model becomes a plain Node (or the class its script maps to): scenetree can't
   * read the model, so the nodes inside it are not brought over; this file's props and children for
   * it are.
   */
  private modelNodeType(section: Section, attr: Located, nodePath: string, entry: NodeEntry): string {
    this.warn(
      "W_MODEL",
      attr,
      `Node ${this.label(nodePath)} instances the 3D model "${entry.model}", which scenetree can't read: it becomes a plain Node with this file's props and children for it; the model's own nodes are not brought over.`,
    );
    const scriptLine = section.props.find((p) => p.key === "script");
    return (scriptLine && this.scriptType(scriptLine, "Node", nodePath, entry)) ?? "Node";
  }

  /** The model node `nodePath` is inside (or is), when the nearest node of this file at or above it is one. */
  private modelAbove(nodePath: string): NodeEntry | null {
    const parts = nodePath === "." ? [] : nodePath.split("/");
    for (let i = parts.length; i >= 0; i--) {
      const entry = this.nodes.get(i === 0 ? "." : parts.slice(0, i).join("/"));
      if (entry) return entry.model ? entry : null;
    }
    return null;
  }

  /** A `[node]` that changes or adds a node inside an instanced 3D model, which is not brought over. */
  private leaveOutOfModel(section: Section, model: NodeEntry, nodePath: string): void {
    this.warn(
      "W_MODEL",
      section,
      `Node ${this.label(nodePath)} is inside the 3D model "${model.model}" instanced at ${this.label(model.path)}, which is not brought over; left out${this.listProps(section)}.`,
    );
  }

  /**
   * The instance `nodePath` is inside, and its path there ("." for the instance root), when the
   * nearest node of this file at or above it is an instance or a node of one; else null.
   */
  private instanceAbove(nodePath: string): { instance: NodeEntry; key: string } | null {
    const parts = nodePath === "." ? [] : nodePath.split("/");
    for (let i = parts.length; i >= 0; i--) {
      const entry = this.nodes.get(i === 0 ? "." : parts.slice(0, i).join("/"));
      if (!entry) continue;
      const rest = parts.slice(i);
      if (entry.editOf) {
        const key = [entry.editOf.key, ...rest].join("/");
        return { instance: entry.editOf.instance, key };
      }
      if (!entry.isInstance) return null;
      return { instance: entry, key: rest.length > 0 ? rest.join("/") : "." };
    }
    return null;
  }

  /**
   * The `"editable"` entry of `instance` at `key`, as a node entry new children go into (the instance
   * itself for "."). `at`: the node's path in this file, for the nodes that follow.
   */
  private editEntry(instance: NodeEntry, key: string, at: string): NodeEntry {
    if (key === ".") return instance;
    const known = this.nodes.get(at);
    if (known?.editOf) return known;
    const editable = (instance.json.editable ??= {});
    const edit = (editable[key] ??= {});
    const entry: NodeEntry = {
      json: edit as JsonSceneNode,
      path: at,
      type: instance.subTypes?.get(key) ?? null,
      isInstance: false,
      script: null,
      subTypes: null,
      editOf: { instance, key },
      model: null,
    };
    this.nodes.set(at, entry);
    return entry;
  }

  /**
   * A `[node]` without type= or instance= inside an instance: it changes the sub-scene's node at that
   * path (its props and groups), which becomes an `"editable"` entry of the instance.
   */
  private editNode(section: Section, edit: { instance: NodeEntry; key: string }, nodePath: string): void {
    const { instance, key } = edit;
    if (instance.subTypes && !instance.subTypes.has(key)) {
      this.warn(
        "W_UNSUPPORTED",
        section,
        `Node ${this.label(nodePath)} changes "${key}" of the instanced scene "${instance.path}", which has no such node; left out${this.listProps(section)}.`,
      );
      return;
    }
    const entry = this.editEntry(instance, key, nodePath);
    const script = section.props.find((p) => p.key === "script");
    if (script)
      this.warn(
        "W_SCRIPT",
        script,
        script.value === null
          ? `Node ${this.label(nodePath)}: script = null takes the script of the instanced scene "${instance.path}"'s node away in Godot; an "editable" entry can't, so it is left out.`
          : `Node ${this.label(nodePath)}: a script on a node of the instanced scene "${instance.path}" can't be kept (an "editable" entry changes props, groups and children only); left out.`,
      );
    const props = this.props(section, "", entry);
    const json = entry.json as JsonSceneEdit;
    if (Object.keys(props).length > 0) json.props = { ...json.props, ...props };
    const groups = this.groups(section);
    if (groups.length > 0) json.groups = [...(json.groups ?? []), ...groups];
    if (this.isUnique(section))
      this.warn(
        "W_UNSUPPORTED",
        section,
        `Node ${this.label(nodePath)}: unique_name_in_owner on a node of an instanced scene is not supported; left out.`,
      );
    // index= on a sub-scene's node is where it already is: nothing to keep.
  }

  private listProps(section: Section): string {
    const keys = section.props.map((p) => p.key);
    return keys.length > 0 ? ` (properties: ${keys.join(", ")})` : "";
  }

  /** Fills `json.instance` and `json.placeholder` from `instance_placeholder="res://…"`. */
  private *placeholderNode(
    attr: Located,
    json: JsonSceneNode,
  ): Generator<SubSceneRequest, Converted, Converted> {
    if (typeof attr.value !== "string") throw this.structure(attr, "instance_placeholder= must be a string.");
    const file = this.resolve(attr.value, attr);
    const sub = yield* this.subScene(attr, { path: attr.value, file }, json);
    json.placeholder = true;
    return sub;
  }

  /** Fills `json.instance`; returns the sub-scene's conversion. */
  private *instanceNode(
    attr: Located,
    json: JsonSceneNode,
  ): Generator<SubSceneRequest, Converted, Converted> {
    return yield* this.subScene(attr, this.extResource(attr, "instance="), json);
  }

  private *subScene(
    attr: Located,
    resource: { path: string; file: string },
    json: JsonSceneNode,
  ): Generator<SubSceneRequest, Converted, Converted> {
    const real = realPath(resource.file);
    if (!/\.tscn$/i.test(resource.file) || !/\.tscn$/i.test(real)) {
      throw new TscnError(
        "ERR_TSCN_UNSUPPORTED",
        this.file,
        attr.line,
        attr.column,
        `instance= names "${resource.path}": only text scenes (.tscn) can be imported; save it as .tscn in Godot.`,
      );
    }
    if (!isFile(resource.file))
      throw new TscnError(
        "ERR_MISSING_FILE",
        this.file,
        attr.line,
        attr.column,
        `Sub-scene "${resource.path}" not found (${resource.file}).${this.noProjectHint(resource.path)}`,
      );
    const sub = yield {
      file: real,
      chain: [...this.chain, realPath(this.file)],
      at: { file: this.file, line: attr.line, column: attr.column },
    };
    if (this.importer.instanceMode === "tscn") this.checkLoadTimeProject(attr, resource);
    const target = this.importer.instanceMode === "json" ? jsonFileFor(resource.file) : resource.file;
    json.instance = relativeRef(this.outFolder, target);
    return sub;
  }

  /** The scenetree type for a typed node: its script's class when registered, else its Godot class. */
  private nodeType(section: Section, godotClass: string, nodePath: string, entry: NodeEntry): string {
    const scriptLine = section.props.find((p) => p.key === "script");
    if (scriptLine) {
      const mapped = this.scriptType(scriptLine, godotClass, nodePath, entry);
      if (mapped) return mapped;
    }
    if (this.importer.registry.get(godotClass) || this.importer.typesMayComeFromScripts) return godotClass;
    this.warn(
      "W_UNKNOWN_TYPE",
      section,
      `Node ${this.label(nodePath)}: scenetree has no ${godotClass} node; it becomes a plain Node (register a TypeScript class as "${godotClass}" to keep it).`,
    );
    return "Node";
  }

  /**
   * The registered type a node's script maps to, or null (warned). `instance`: the node is an
   * instance of that scene (or a placeholder for one), whose type a JSON scene can't change: the
   * script is recorded and its values kept as the instance's props, but no type comes of it.
   */
  private scriptType(
    line: PropertyLine,
    godotClass: string,
    nodePath: string,
    entry: NodeEntry,
    instance: { scene: string; rootType: string | null } | null = null,
  ): string | null {
    const builtFrom = instance
      ? `from its sub-scene "${instance.scene}" alone (root type ${instance.rootType ?? "unknown"}), as a JSON scene can't give an instance another type`
      : `from its Godot type (${godotClass || "Node"}) alone`;
    const value = line.value;
    if (value === null) {
      // `script = null` (Godot 3 and 4.0 development builds wrote it for a removed script): no script,
      // which Godot loads as such. On an instance it would take the sub-scene's script away.
      if (instance)
        this.warn(
          "W_SCRIPT",
          line,
          `Node ${this.label(nodePath)}: script = null takes the script of "${instance.scene}"'s root away in Godot; a JSON instance keeps its sub-scene's root, so it is left out.`,
        );
      return null;
    }
    if (typeof value === "object" && value.kind === "subResource") {
      this.usedSubs.add(value.id);
      entry.script = BUILT_IN_SCRIPT;
      this.warn(
        "W_SCRIPT",
        line,
        `Node ${this.label(nodePath)} has a built-in script (${value.id}); GDScript can't run in scenetree, so the node is built ${builtFrom}. Move the logic to a TypeScript class.`,
      );
      return null;
    }
    const resource = this.extResource(line, "script =");
    entry.script = resource.path; // cleared again when a registered class takes the script's place
    const use: GdScriptUse = {
      file: this.file,
      line: line.line,
      node: nodePath,
      script: resource.path,
      className: null,
      type: null,
    };
    this.importer.scripts.push(use);
    if (!/\.gd$/i.test(resource.file)) {
      this.warn(
        "W_SCRIPT",
        line,
        `Node ${this.label(nodePath)}: script "${resource.path}" is not GDScript; it can't run in scenetree and is left out.`,
      );
      return null;
    }
    const info = readGdScript(resource.file);
    use.className = info.className;
    // A file name alone never makes a node one of Godot's own classes: qarmin's WebSocketServer.gd
    // extends Node2D, and timer.gd or node.gd are scripts on some node, not that class.
    const fromFile = GODOT_CLASS_TYPES.has(info.fileClassName) ? null : info.fileClassName;
    const names = [info.className, fromFile].filter((n): n is string => n !== null);
    const candidates = [...new Set(names.flatMap((n) => (SCRIPT_ALIASES[n] ? [SCRIPT_ALIASES[n], n] : [n])))];
    const registered = candidates.find((n) => this.importer.registry.get(n));
    if (registered && instance && registered === instance.rootType) {
      // The script the sub-scene's root has already (or one mapping to the same class): nothing lost.
      use.type = registered;
      entry.script = null;
      return registered;
    }
    if (registered && instance) {
      this.warn(
        "W_SCRIPT",
        line,
        `Node ${this.label(nodePath)}: script "${resource.path}" maps to the registered type ${registered}, which is not used: the node is built ${builtFrom}. Make ${registered} the type of that scene's root to use it.`,
      );
      return null;
    }
    if (registered) {
      use.type = registered;
      entry.script = null;
      return registered;
    }
    if (this.importer.typesMayComeFromScripts && !instance && candidates.length > 0) return candidates[0];
    const builtin = candidates.find((n) => BUILTIN_NODE_MODULES[n]);
    const unreadable = info.readable
      ? ""
      : ` (the file ${resource.file} could not be read, so its class_name is unknown)`;
    this.warn(
      "W_SCRIPT",
      line,
      builtin
        ? `Node ${this.label(nodePath)}: script "${resource.path}" is scenetree's ${builtin}, which is not registered; import ${BUILTIN_NODE_MODULES[builtin]} before converting. The node is built ${builtFrom}.`
        : instance
          ? `Node ${this.label(nodePath)}: GDScript "${resource.path}"${info.className ? ` (class_name ${info.className})` : ""} can't run in scenetree${unreadable}; the node is built ${builtFrom}.`
          : `Node ${this.label(nodePath)}: GDScript "${resource.path}"${info.className ? ` (class_name ${info.className})` : ""} can't run in scenetree${unreadable}; ${candidates.length > 0 ? `register a TypeScript class as "${candidates[0]}"` : `give it a class_name and register a TypeScript class under that name`} to give the node its behaviour. The node is built ${builtFrom}.`,
    );
    return null;
  }

  private props(section: Section, godotClass: string, entry: NodeEntry): Record<string, unknown> {
    const props: Record<string, unknown> = {};
    const info = entry.type ? this.importer.registry.get(entry.type) : undefined;
    const shape = info
      ? (info.propsSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)
      : null;
    const typeName = entry.type ?? "the sub-scene's root";
    for (const line of section.props) {
      const { key } = line;
      if (key === "script") continue;
      if (key === "unique_name_in_owner") continue; // Godot 4.0 wrote it as a property; see isUnique
      if (key === "__meta__") {
        this.godot3Meta(line);
        continue;
      }
      if (isEditorOnly(key)) {
        this.warn("W_PROPERTY_DROPPED", line, `${key}: editor-only data, left out.`);
        continue;
      }
      if (key.startsWith("metadata/")) {
        this.warn(
          "W_PROPERTY_DROPPED",
          line,
          `${key}: node metadata (set_meta) has no place in a JSON scene; left out.`,
        );
        continue;
      }
      const rule = propertyRule(key, this.doc.format, godotClass, entry.type ?? "");
      if (rule.drop) {
        this.warn("W_PROPERTY_DROPPED", line, `${key}: ${rule.drop}; left out.`);
        continue;
      }
      if (shape && !Object.hasOwn(shape, rule.name)) {
        const why = this.ownerOfProperty(godotClass, entry);
        this.warn(
          "W_PROPERTY_DROPPED",
          line,
          `${key}: ${typeName} has no property "${rule.name}"${why}; left out.`,
        );
        continue;
      }
      let candidates: unknown[];
      if (rule.values && typeof line.value === "number") {
        const named = rule.values[line.value];
        candidates = named === undefined ? [line.value] : [named, line.value];
      } else {
        try {
          candidates = [this.json(line.value)];
        } catch (error) {
          if (!(error instanceof Unrepresentable)) throw error;
          this.warn("W_PROPERTY_DROPPED", line, `${key}: ${error.message}; left out.`);
          continue;
        }
      }
      const schema = shape?.[rule.name];
      const accepted = schema ? candidates.find((c) => schema.safeParse(c).success) : candidates[0];
      if (accepted === undefined) {
        this.warn(
          "W_PROPERTY_DROPPED",
          line,
          `${key}: ${typeName}'s "${rule.name}" does not accept ${JSON.stringify(candidates[0])}; left out.`,
        );
        continue;
      }
      props[rule.name] = accepted;
    }
    return props;
  }

  private json(value: TscnValue): unknown {
    return toJson(value, {
      ext: (id) => {
        const resource = this.ext.get(id);
        if (!resource)
          throw new Unrepresentable(`ExtResource(${JSON.stringify(id)}) names no [ext_resource]`);
        return { $type: resource.type, path: relativeRef(this.outFolder, resource.file) };
      },
      sub: (id) => {
        const resource = this.sub.get(id);
        if (!resource)
          throw new Unrepresentable(`SubResource(${JSON.stringify(id)}) names no [sub_resource]`);
        this.usedSubs.add(id);
        const out: Record<string, unknown> = { $type: resource.type };
        for (const p of resource.props) out[snakeToCamel(p.key)] = this.json(p.value);
        return out;
      },
    });
  }

  private groups(section: Section): string[] {
    const attr = section.attrs.get("groups");
    if (!attr) return [];
    const value = attr.value;
    const items = value !== null && typeof value === "object" && value.kind === "array" ? value.items : null;
    if (!items) throw this.structure(attr, "groups= must be an array of strings.");
    return items.map((item) => {
      if (typeof item === "string") return item;
      if (item !== null && typeof item === "object" && item.kind === "stringName") return item.value;
      throw this.structure(attr, "groups= must be an array of strings.");
    });
  }

  private isUnique(section: Section): boolean {
    const attr = section.attrs.get("unique_name_in_owner")?.value;
    const prop = section.props.find((p) => p.key === "unique_name_in_owner")?.value;
    return attr === true || prop === true;
  }

  // --- connections -----------------------------------------------------------------------------

  private connection(section: Section): JsonSceneConnection | null {
    const signal = this.attrString(section, "signal");
    const from = this.attrString(section, "from");
    const to = this.attrString(section, "to");
    const method = this.attrString(section, "method");
    if (signal === null || from === null || to === null || method === null)
      throw this.structure(section, "[connection] needs signal=, from=, to= and method= (strings).");
    const describe = `${signal} from "${from}" to "${to}" (${method})`;
    for (const key of section.attrs.keys()) {
      if (!["signal", "from", "to", "method", "flags", "binds", "unbinds"].includes(key))
        this.warn(
          "W_UNSUPPORTED",
          section.attrs.get(key)!,
          `Connection ${describe}: attribute ${key}= is not used by scenetree; ignored.`,
        );
    }
    const fromNode = this.connectionEnd(section, from, describe);
    const toNode = this.connectionEnd(section, to, describe);
    if (fromNode === undefined || toNode === undefined) return null;

    const fromInfo = fromNode?.type ? this.importer.registry.get(fromNode.type) : undefined;
    let outSignal = signalName(signal, fromInfo?.name ?? "");
    if (fromInfo) {
      const signals = signalsOf(fromInfo);
      if (!signals.has(outSignal)) {
        if (!signals.has(signal)) {
          this.warn(
            "W_CONNECTION_DROPPED",
            section,
            `Connection ${describe}: ${fromInfo.name} has no signal "${outSignal}"${fromNode?.script ? ` (it may come from the script ${fromNode.script})` : ""}; left out.`,
          );
          return null;
        }
        outSignal = signal;
      }
    }
    let outMethod = snakeToCamel(method);
    const toInfo: NodeTypeInfo | undefined = toNode?.type
      ? this.importer.registry.get(toNode.type)
      : undefined;
    if (toInfo) {
      const methods = methodsOf(toInfo);
      if (!methods.has(outMethod)) {
        if (!methods.has(method)) {
          this.warn(
            "W_CONNECTION_DROPPED",
            section,
            `Connection ${describe}: ${toInfo.name} has no method "${outMethod}"${toNode?.script ? ` (the script ${toNode.script} can't run here; give a TypeScript class that method)` : ""}; left out.`,
          );
          return null;
        }
        outMethod = method;
      }
    }
    const out: JsonSceneConnection = { from, signal: outSignal, to, method: outMethod };
    const bindsAttr = section.attrs.get("binds");
    if (bindsAttr) {
      const value = bindsAttr.value;
      if (value === null || typeof value !== "object" || value.kind !== "array")
        throw this.structure(bindsAttr, "binds= must be an array.");
      try {
        if (value.items.length > 0) out.binds = value.items.map((item) => this.json(item));
      } catch (error) {
        if (!(error instanceof Unrepresentable)) throw error;
        this.warn(
          "W_CONNECTION_DROPPED",
          bindsAttr,
          `Connection ${describe}: a bound argument can't be written in JSON (${error.message}); left out.`,
        );
        return null;
      }
    }
    const flagsAttr = section.attrs.get("flags");
    if (flagsAttr) {
      if (typeof flagsAttr.value !== "number" || !Number.isInteger(flagsAttr.value) || flagsAttr.value < 0)
        throw this.structure(flagsAttr, "flags= must be a whole number.");
      const flags = flagsAttr.value;
      const names = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
      const known = FLAG_NAMES.reduce((all, [bit]) => all | bit, ConnectFlags.PERSIST as number);
      const unknown = flags & ~known;
      if (unknown)
        this.warn(
          "W_CONNECTION_CHANGED",
          flagsAttr,
          `Connection ${describe}: flags=${flags} has bits scenetree doesn't know (${unknown}); they are left out.`,
        );
      if (names.length > 0) out.flags = names;
    }
    const unbinds = section.attrs.get("unbinds");
    if (unbinds)
      this.warn(
        "W_CONNECTION_CHANGED",
        unbinds,
        `Connection ${describe}: unbinds=${JSON.stringify(unbinds.value)} is not supported; the method receives the signal's arguments too (before the bound ones).`,
      );
    return out;
  }

  /** The node at a connection's path: an entry, null (inside a sub-scene: not checked), undefined (missing, warned). */
  private connectionEnd(section: Section, nodePath: string, describe: string): NodeEntry | null | undefined {
    const normalized = normalizePath(nodePath);
    const entry = this.nodes.get(normalized);
    if (entry) return entry;
    const inside = this.instanceAbove(normalized);
    const types = inside?.instance.subTypes;
    if (inside && !types) return null; // a sub-scene not known here: left to the loader
    if (inside && types!.has(inside.key))
      return { ...inside.instance, json: {}, path: normalized, type: types!.get(inside.key)!, script: null };
    const model = this.modelAbove(normalized);
    if (model) {
      this.warn(
        "W_CONNECTION_DROPPED",
        section,
        `Connection ${describe}: "${nodePath}" is inside the 3D model "${model.model}" instanced at ${this.label(model.path)}, which is not brought over; left out.`,
      );
      return undefined;
    }
    this.warn(
      "W_CONNECTION_DROPPED",
      section,
      `Connection ${describe}: no node at "${nodePath}" in this scene; left out.`,
    );
    return undefined;
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * How many nodes after `section` need renaming too: an imported model's file has them by the hundred
   * (truck_town's town_mesh.tscn: 135), and one error per import would make that 135 imports.
   */
  private moreBadNames(section: Section): string {
    let more = 0;
    for (const other of this.doc.sections.slice(this.doc.sections.indexOf(section) + 1)) {
      const name = other.tag === "node" ? other.attrs.get("name")?.value : undefined;
      if (typeof name === "string" && validateNodeName(name) !== name) more++;
    }
    return more === 0 ? "" : `, and the ${more} other node${more === 1 ? "" : "s"} after it with such names,`;
  }

  private attrString(section: Section, key: string): string | null {
    const attr = section.attrs.get(key);
    if (!attr) return null;
    const value = attr.value;
    if (typeof value === "string") return value;
    if (value !== null && typeof value === "object" && value.kind === "stringName") return value.value;
    throw this.structure(attr, `${key}= must be a string.`);
  }

  private structure(at: { line: number; column: number }, detail: string): TscnError {
    return new TscnError("ERR_TSCN_STRUCTURE", this.file, at.line, at.column, detail);
  }

  /**
   * Godot 3's `__meta__` dictionary: the user's own metadata (`set_meta`) beside the editor's keys
   * (`_edit_lock_`, `_edit_group_`, `_editor_description_`...). Both are left out, each with its warning.
   */
  private godot3Meta(line: PropertyLine): void {
    const value = line.value;
    const keys =
      value !== null && typeof value === "object" && value.kind === "dictionary"
        ? value.entries.map(([k]) => metaKey(k))
        : null;
    const user = keys?.filter((k) => !isGodot3EditorMeta(k)) ?? [];
    if (keys === null || user.length > 0)
      this.warn(
        "W_PROPERTY_DROPPED",
        line,
        `__meta__: node metadata (set_meta) has no place in a JSON scene; left out${user.length > 0 ? `: ${user.join(", ")}` : ""}.`,
      );
    if (keys !== null && keys.length > user.length)
      this.warn(
        "W_PROPERTY_DROPPED",
        line,
        `__meta__: editor-only data (${keys.filter(isGodot3EditorMeta).join(", ")}), left out.`,
      );
  }

  /**
   * Why a node's type may lack a property, for the warning: the Godot class that became a plain Node has
   * it, or the script does.
   */
  private ownerOfProperty(godotClass: string, entry: NodeEntry): string {
    if (entry.model)
      return ` (a property of the 3D model's root node${entry.script ? `, or of the script ${entry.script}` : ""})`;
    if (godotClass !== "" && entry.type === "Node" && !this.importer.registry.get(godotClass)) {
      if (!entry.script) return ` (a ${godotClass} property)`;
      const script =
        entry.script === BUILT_IN_SCRIPT ? "the built-in script's" : `the script ${entry.script}'s`;
      return ` (a ${godotClass} property, or ${script})`;
    }
    return entry.script ? ` (it likely belongs to the script ${entry.script})` : "";
  }

  private warn(code: TscnWarningCode, at: { line: number }, message: string): void {
    this.warnings.push({ code, file: this.file, line: at.line, message: echoedWords(message) });
  }

  /** How messages name a node: its path, or the root's name. */
  private label(nodePath: string): string {
    return nodePath === "." ? `"${this.rootName}" (the root)` : `"${nodePath}"`;
  }
}

/** Godot writes the root as "." and other nodes relative to it ("A/B"); "./A" is read the same. */
function normalizePath(nodePath: string): string {
  const trimmed = nodePath.replace(/^\.\//, "").replace(/\/+$/, "");
  return trimmed === "" ? "." : trimmed;
}

function collectSubResourceIds(value: TscnValue, out: Set<string>): void {
  if (value === null || typeof value !== "object") return;
  switch (value.kind) {
    case "subResource":
      out.add(value.id);
      break;
    case "array":
    case "call":
      for (const item of value.kind === "array" ? value.items : value.args) collectSubResourceIds(item, out);
      break;
    case "dictionary":
      for (const [k, v] of value.entries) {
        collectSubResourceIds(k, out);
        collectSubResourceIds(v, out);
      }
      break;
    case "object":
      for (const [, v] of value.entries) collectSubResourceIds(v, out);
      break;
  }
}

/** What a node's `script` is called in warnings when it is a `SubResource` script. */
const BUILT_IN_SCRIPT = "a built-in script";

/** A `__meta__` key as a warning lists it. */
function metaKey(key: TscnValue): string {
  if (typeof key === "string") return key;
  if (key !== null && typeof key === "object" && key.kind === "stringName") return key.value;
  return JSON.stringify(key) ?? String(key);
}
