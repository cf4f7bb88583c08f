import {
  INTERNAL_PHYSICS_ENABLED,
  INTERNAL_PROCESS_ENABLED,
  PHYSICS_ENABLED,
  PROCESS_ENABLED,
  nodeData as dataOf,
  hasFlag,
  type NodeLike as Node,
  INTERNAL_PHYSICS_PROCESS,
  INTERNAL_PROCESS,
} from "./node/data";
import { modeAllows } from "./node/processMode";
import { effectiveProcessMode } from "./node/processing";
import { isThenable } from "./thenable";

// Read once: under tsx an imported binding costs a getter call per use.
const nodeData = dataOf;

// Bits of a plan's `kinds`: which of a node's callbacks run. Local constants on purpose: a binding
// imported from another module compiles (under tsx/esbuild) to a getter call per use.
const RUN_CALLBACK = 1;
const RUN_INTERNAL = 2;

/** What a plan calls for one node in a pass: the node itself, or a stand-in below. */
interface Step {
  _process(delta: number): unknown;
  _physicsProcess(delta: number): unknown;
}

interface Plan {
  nodes: readonly Node[];
  /**
   * Per node, what the loop calls: the node itself when it runs its callback alone (the usual case),
   * {@link SKIP} when it runs nothing, a {@link Both} when it has internal processing. One call per
   * node and no branch: a loop with a second, never-taken call path in it measured a third slower.
   */
  steps: Step[];
  /**
   * Per node: RUN_CALLBACK (`_process`) and/or RUN_INTERNAL (e.g. a Timer's tick); 0 skips it. A plain
   * array of small integers: a Uint8Array costs an ArrayBuffer besides, ~170 bytes more per plan, and
   * every tree of a fleet keeps a plan.
   */
  kinds: number[];
  version: number;
}

/** Stands in for a node that processes nothing in this pass (left, paused, turned off meanwhile). */
const SKIP: Step = {
  _process: () => undefined,
  _physicsProcess: () => undefined,
};

/** Stands in for a node with internal processing, run before its callback by {@link ProcessRunner}. */
class Both implements Step {
  constructor(
    private readonly runner: ProcessRunner,
    private readonly plan: Plan,
    private readonly index: number,
  ) {}

  _process(delta: number): unknown {
    return this.runner.runBoth(this.plan, this.index, delta);
  }

  _physicsProcess(delta: number): unknown {
    return this.runner.runBoth(this.plan, this.index, delta);
  }
}

/** What the runner needs from its tree. */
export interface ProcessHost {
  readonly paused: boolean;
  /** While the tree is suspended no node processes, whatever its process mode. */
  readonly suspended: boolean;
  /** True when `node` is inside this tree and did not leave it during the current pass. */
  isPresent(node: Node): boolean;
  reportError(node: Node, what: string, error: unknown): void;
}

/**
 * Runs one kind of pass (idle or physics) over the ordered processing nodes, as Godot's
 * `SceneTree::_process_group` does: from a snapshot, skipping nodes that left, that cannot process
 * (suspend, pause, process mode), or whose processing was turned off earlier in the same pass.
 *
 * Rather than re-checking all of that for every node of every frame, the runner keeps a plan (what each
 * node runs) and patches it when something changes: one node's flags or removal patch one entry; a
 * pause or process mode change re-plans the rest of the pass. The hot loop is then an array read and
 * a call per node, close to a flat loop over the same callbacks.
 */
export class ProcessRunner {
  private plan: Plan | null = null;
  private version = 0;
  private active: Plan | null = null;

  constructor(
    private readonly host: ProcessHost,
    private readonly physics: boolean,
  ) {}

  /** Something that decides processing changed: for `node` alone, or for any node (`null`). */
  changed(node: Node | null): void {
    this.version++;
    const plan = this.active;
    if (!plan) return;
    // Patching entries the pass has already gone by is harmless: the plan is rebuilt next pass.
    if (node) {
      const index = this.physics ? nodeData(node).physicsPlanIndex : nodeData(node).idlePlanIndex;
      if (plan.nodes[index] === node) this.patch(plan, index);
    } else {
      for (let i = 0; i < plan.nodes.length; i++) this.patch(plan, i);
    }
  }

  run(nodes: readonly Node[], delta: number): void {
    if (nodes.length === 0) return; // most trees have no physics-processing node: a pass costs nothing then
    const plan = this.planFor(nodes);
    this.active = plan;
    try {
      if (this.physics) this.physicsPass(plan, delta);
      else this.idlePass(plan, delta);
    } finally {
      this.active = null;
    }
  }

  // The two loops are the engine's hottest code; keep them this small. A throwing callback is reported
  // with its node's path and the pass goes on with the next node; so is an async one that rejects. The
  // try sits around the loop, not inside it: a throw leaves the loop, and the pass resumes after that
  // node, so a frame with no throw pays for no handler per node.
  private idlePass(plan: Plan, delta: number): void {
    const { nodes, steps } = plan;
    const count = steps.length;
    let i = 0;
    while (i < count) {
      try {
        for (; i < count; i++) {
          const result: unknown = steps[i]._process(delta);
          if (result !== undefined) this.watch(nodes[i], "_process", result);
        }
      } catch (error) {
        this.host.reportError(nodes[i], "_process", error);
        i++;
      }
    }
  }

  private physicsPass(plan: Plan, delta: number): void {
    const { nodes, steps } = plan;
    const count = steps.length;
    let i = 0;
    while (i < count) {
      try {
        for (; i < count; i++) {
          const result: unknown = steps[i]._physicsProcess(delta);
          if (result !== undefined) this.watch(nodes[i], "_physicsProcess", result);
        }
      } catch (error) {
        this.host.reportError(nodes[i], "_physicsProcess", error);
        i++;
      }
    }
  }

  /**
   * A node's pass with internal processing: that first, its effects (a Timer stopping itself, say) seen
   * by the callback. The kind is read now, so a change earlier in the pass counts. Returns what the
   * callback returned. @internal
   */
  runBoth(plan: Plan, i: number, delta: number): unknown {
    const node = plan.nodes[i];
    if (plan.kinds[i] & RUN_INTERNAL) {
      if (this.physics) node[INTERNAL_PHYSICS_PROCESS](delta);
      else node[INTERNAL_PROCESS](delta);
    }
    if (plan.kinds[i] & RUN_CALLBACK)
      return this.physics ? node._physicsProcess(delta) : node._process(delta);
    return undefined;
  }

  private watch(node: Node, what: string, result: unknown): void {
    if (isThenable(result))
      result.then(undefined, (error: unknown) => this.host.reportError(node, what, error));
  }

  private planFor(nodes: readonly Node[]): Plan {
    const cached = this.plan;
    if (cached && cached.nodes === nodes && cached.version === this.version) return cached;
    const plan: Plan = {
      nodes,
      steps: new Array<Step>(nodes.length).fill(SKIP),
      kinds: new Array<number>(nodes.length).fill(0),
      version: this.version,
    };
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (this.physics) nodeData(node).physicsPlanIndex = i;
      else nodeData(node).idlePlanIndex = i;
      this.patch(plan, i);
    }
    this.plan = plan;
    return plan;
  }

  private patch(plan: Plan, i: number): void {
    const node = plan.nodes[i];
    const kind = this.kindOf(node);
    plan.kinds[i] = kind;
    const step = plan.steps[i];
    if (kind === RUN_CALLBACK) plan.steps[i] = node;
    else if (kind === 0) plan.steps[i] = SKIP;
    else if (!(step instanceof Both)) plan.steps[i] = new Both(this, plan, i);
  }

  private kindOf(node: Node): number {
    const host = this.host;
    if (host.suspended || !host.isPresent(node) || !modeAllows(effectiveProcessMode(node), host.paused))
      return 0;
    const data = nodeData(node);
    const internal = this.physics
      ? hasFlag(data, INTERNAL_PHYSICS_ENABLED)
      : hasFlag(data, INTERNAL_PROCESS_ENABLED);
    const callback = this.physics ? hasFlag(data, PHYSICS_ENABLED) : hasFlag(data, PROCESS_ENABLED);
    return (internal ? RUN_INTERNAL : 0) | (callback ? RUN_CALLBACK : 0);
  }
}
