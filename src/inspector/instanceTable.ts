import { indexAt, positionOf, type IndexRange } from "../core/indexRange";
import type { InstancePage, InstanceState } from "./protocol";

const STATES: readonly InstanceState[] = ["pending", "running", "finished", "failed"];
const CODE: Record<InstanceState, number> = { pending: 0, running: 1, finished: 2, failed: 3 };

/** Default length of one page of the instance list. */
export const INSTANCE_PAGE = 50;

export interface InstanceQuery {
  offset?: number;
  limit?: number;
  state?: InstanceState;
  /** Digits the index must contain. */
  query?: string;
}

/**
 * Most instances one process's inspector follows (`--inspect` with more in this shard is refused): the
 * table costs a byte each, but a page of the picker filtered by state or digits looks at every one.
 */
export const MAX_INSPECTED_INSTANCES = 1_000_000;

/**
 * Where each instance of a fleet is in its life, one byte each (a 100,000-bot fleet: 100 kB), and
 * the pages of it the instance picker shows.
 */
export class InstanceTable {
  private readonly states: Uint8Array;
  private readonly tally = [0, 0, 0, 0];

  /** `indices`: the global indices this process runs, ascending. */
  constructor(readonly indices: IndexRange) {
    this.states = new Uint8Array(indices.length);
    this.tally[0] = indices.length;
  }

  get size(): number {
    return this.indices.length;
  }

  has(index: number): boolean {
    return positionOf(this.indices, index) !== -1;
  }

  stateOf(index: number): InstanceState | null {
    const position = positionOf(this.indices, index);
    return position === -1 ? null : STATES[this.states[position]];
  }

  set(index: number, state: InstanceState): void {
    const position = positionOf(this.indices, index);
    if (position === -1) return;
    this.tally[this.states[position]]--;
    this.states[position] = CODE[state];
    this.tally[CODE[state]]++;
  }

  counts(): Record<InstanceState, number> {
    const [pending, running, finished, failed] = this.tally;
    return { pending, running, finished, failed };
  }

  /** The lowest running index, or null. */
  firstRunning(): number | null {
    const position = this.states.indexOf(CODE.running);
    return position === -1 ? null : indexAt(this.indices, position);
  }

  page({ offset = 0, limit = INSTANCE_PAGE, state, query = "" }: InstanceQuery): InstancePage {
    const items: [number, InstanceState][] = [];
    const wanted = state === undefined ? -1 : CODE[state];
    let matched = 0;
    for (let position = 0; position < this.indices.length; position++) {
      const code = this.states[position];
      if (wanted !== -1 && code !== wanted) continue;
      const index = indexAt(this.indices, position);
      if (query !== "" && !String(index).includes(query)) continue;
      if (matched >= offset && items.length < limit) items.push([index, STATES[code]]);
      matched++;
    }
    return { ok: true, total: this.indices.length, matched, offset, items, counts: this.counts() };
  }
}
