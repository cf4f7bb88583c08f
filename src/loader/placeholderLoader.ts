import * as path from "node:path";
import { SceneTreeError } from "../core/errors";
import type { Node } from "../scene/Node";
import { nameBuiltNode } from "../scene/node/children";
import {
  InstancePlaceholder,
  setPlaceholderLoader,
  type InstantiableScene,
  type NodeResolver,
  type PlaceholderLoader,
} from "../nodes/InstancePlaceholder";
import { segmentsOf, type JsonPathSegment } from "./jsonPath";
import { copyValue, fillValue, type PlaceholderFiller } from "./placeholders";
import { getRegisteredNodeTypes } from "./registry";
import type { SceneError } from "./SceneError";
import type { NodeSpec, SubScene } from "./validate";
import { reportZodIssues } from "./zodProblems";
import { ProblemList } from "./problems";
import { JsonSource } from "./parseJson";

/** Reads, validates and packs a scene file synchronously (loadScene.ts provides it). */
export type SyncSceneLoader = (file: string) => InstantiableScene;

let syncLoader: SyncSceneLoader | null = null;

/** Set once by loadScene.ts: this module can't import it (that module builds scenes through this one). */
export function setSyncSceneLoader(loader: SyncSceneLoader): void {
  syncLoader = loader;
}

/** The scene a placeholder comes from, for its path and for errors at the entry's place in the file. */
export interface PlaceholderOrigin {
  readonly file: string;
  failure(at: readonly JsonPathSegment[], message: string): SceneError;
}

/**
 * The InstancePlaceholder for an entry loaded as placeholder: named as the entry, its sub-scene's path
 * resolved from the scene file's folder, the entry's props stored (copied, `{name}` filled as props
 * are), and a loader that builds the sub-scene when `createInstance()` asks.
 */
export function createPlaceholder(
  origin: PlaceholderOrigin,
  spec: NodeSpec<SubScene>,
  fill: PlaceholderFiller | null,
): InstancePlaceholder {
  const node = new InstancePlaceholder();
  nameBuiltNode(node, spec.name!); // while built: no NOTIFICATION_PATH_RENAMED, as in Godot
  node.setInstancePath(path.resolve(path.dirname(path.resolve(origin.file)), spec.placeholder!));
  for (const [name, value] of spec.props) node.set(name, fill ? fillValue(value, fill) : copyValue(value));
  setPlaceholderLoader(node, placeholderLoader(origin, spec));
  return node;
}

function placeholderLoader(origin: PlaceholderOrigin, spec: NodeSpec<SubScene>): PlaceholderLoader {
  return {
    load(file) {
      if (!syncLoader)
        throw new SceneTreeError(
          "ERR_INVALID_ARGUMENT",
          'No scene loader: import "scenetree" (which installs loadScene) before createInstance().',
        );
      return syncLoader(file);
    },
    assign(instance, values, resolve) {
      assignStoredValues(origin, spec, instance, values, resolve);
    },
  };
}

/**
 * Stored values as a scene file's props: checked against the instance root's registered type (enum
 * names become numbers), NodePath props resolved to nodes, a value that is a node already set as it
 * is. A value the type refuses is an ERR_INSTANTIATE at the entry's props.
 */
function assignStoredValues(
  origin: PlaceholderOrigin,
  spec: NodeSpec<SubScene>,
  instance: Node,
  values: ReadonlyArray<readonly [string, unknown]>,
  resolve: NodeResolver,
): void {
  const target = instance as unknown as Record<string, unknown>;
  const info = getRegisteredNodeTypes().find((type) => type.nodeClass === instance.constructor);
  const raw: Record<string, unknown> = {};
  for (const [name, value] of values) {
    if (!info || (value !== null && typeof value === "object" && "getParent" in value)) target[name] = value;
    else raw[name] = value;
  }
  if (!info || Object.keys(raw).length === 0) return;
  const parsed = info.propsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = new ProblemList(origin.file, new JsonSource(""));
    reportZodIssues(problems, parsed.error.issues, null, raw, {
      what: `${info.name} props`,
      knownKeys: Object.keys(info.propsSchema.shape),
    });
    const detail = problems.items.map((p) => `${p.path}: ${p.message}`).join("; ");
    throw origin.failure(
      segmentsOf(spec.jsonPath, "props"),
      `The placeholder's stored values don't fit ${info.name}: ${detail}`,
    );
  }
  for (const name of Object.keys(raw)) {
    const value = parsed.data[name];
    if (info.nodePathProps.has(name) && typeof value === "string") {
      const node = resolve(value);
      if (!node)
        throw origin.failure(
          segmentsOf(spec.jsonPath, "props", name),
          `No node at "${value}" from the instance "${instance.name}" or its placeholder.`,
        );
      target[name] = node;
    } else target[name] = value;
  }
}
