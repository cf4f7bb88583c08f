import { modeAllows, type Node } from "./Node";
import { isThenable } from "./context";

// Bits of a plan's `kinds`: which of a node's callbacks run. Local constants on purpose: a binding
// imported from another module compiles (under tsx/esbuild) to a getter call per use.
const RUN_CALLBACK = 1;
const RUN_INTERNAL = 2;

interface Plan {
  nodes: readonly Node[];
  /** Per node: RUN_CALLBACK (`_process`) and/or RUN_INTERNAL (e.g. a Timer's tick); 0 skips it. */
  kinds: Uint8Array;
  version: number;
}

/** What the runner needs from its tree. */
export interface ProcessHost {
  readonly paused: boolean;
  /** True when `node` is inside this tree and did not leave it during the current pass. */
  isPresent(node: Node): boolean;
  reportError(node: Node, what: string, error: unknown): void;
}

/**
 * Runs one kind of pass (idle or physics) over the ordered processing nodes, as Godot's
 * `SceneTree::_process_group` does: from a snapshot, skipping nodes that left, that cannot process
 * (pause, process mode), or whose processing was turned off earlier in the same pass.
 *
 * Rather than re-checking all of that for every node of every frame, the runner keeps a plan (what each
 * node runs) and patches it when something changes: one node's flags or removal patch one entry; a
 * pause or process mode change re-plans the rest of the pass. The hot loop is then a typed-array read
 * and a call per node, close to a flat loop over the same callbacks.
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
      const index = this.physics ? node._physicsPlanIndex : node._idlePlanIndex;
      if (plan.nodes[index] === node) plan.kinds[index] = this.kindOf(node);
    } else {
      for (let i = 0; i < plan.nodes.length; i++) plan.kinds[i] = this.kindOf(plan.nodes[i]);
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
    const { nodes, kinds } = plan;
    const count = nodes.length;
    let i = 0;
    while (i < count) {
      try {
        for (; i < count; i++) {
          const kind = kinds[i];
          if (kind === 0) continue;
          const result: unknown =
            kind === RUN_CALLBACK ? nodes[i]._process(delta) : this.runBoth(nodes[i], kinds, i, delta);
          if (result !== undefined) this.watch(nodes[i], "_process", result);
        }
      } catch (error) {
        this.host.reportError(nodes[i], "_process", error);
        i++;
      }
    }
  }

  private physicsPass(plan: Plan, delta: number): void {
    const { nodes, kinds } = plan;
    const count = nodes.length;
    let i = 0;
    while (i < count) {
      try {
        for (; i < count; i++) {
          const kind = kinds[i];
          if (kind === 0) continue;
          const result: unknown =
            kind === RUN_CALLBACK ? nodes[i]._physicsProcess(delta) : this.runBoth(nodes[i], kinds, i, delta);
          if (result !== undefined) this.watch(nodes[i], "_physicsProcess", result);
        }
      } catch (error) {
        this.host.reportError(nodes[i], "_physicsProcess", error);
        i++;
      }
    }
  }

  /**
   * Internal processing first; its effects (a Timer stopping itself, say) are seen by the callback.
   * Returns what the callback returned.
   */
  private runBoth(node: Node, kinds: Uint8Array, i: number, delta: number): unknown {
    if (kinds[i] & RUN_INTERNAL) {
      if (this.physics) node._internalPhysicsProcess(delta);
      else node._internalProcess(delta);
    }
    if (kinds[i] & RUN_CALLBACK) return this.physics ? node._physicsProcess(delta) : node._process(delta);
    return undefined;
  }

  private watch(node: Node, what: string, result: unknown): void {
    if (isThenable(result))
      result.then(undefined, (error: unknown) => this.host.reportError(node, what, error));
  }

  private planFor(nodes: readonly Node[]): Plan {
    const cached = this.plan;
    if (cached && cached.nodes === nodes && cached.version === this.version) return cached;
    const kinds = new Uint8Array(nodes.length);
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (this.physics) node._physicsPlanIndex = i;
      else node._idlePlanIndex = i;
      kinds[i] = this.kindOf(node);
    }
    this.plan = { nodes, kinds, version: this.version };
    return this.plan;
  }

  private kindOf(node: Node): number {
    if (!this.host.isPresent(node) || !modeAllows(node._effectiveProcessMode(), this.host.paused)) return 0;
    const internal = this.physics ? node._internalPhysicsEnabled : node._internalProcessEnabled;
    const callback = this.physics ? node._physicsEnabled : node._processEnabled;
    return (internal ? RUN_INTERNAL : 0) | (callback ? RUN_CALLBACK : 0);
  }
}
