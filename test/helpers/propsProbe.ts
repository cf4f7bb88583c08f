import { z } from "zod";
import { Node, nodePathProp, nodePropsSchema, signal, type SignalsOf } from "../../src";

const probeSignals = Node.signals.extend({ hit: signal<[amount: number]>() });

/** A node type with every kind of prop a scene file can hold, and a signal of its own (the pack tests'). */
export class PropsProbe extends Node<SignalsOf<typeof probeSignals>> {
  static override readonly signals = probeSignals;
  speed = 1;
  label = "";
  tags: string[] = [];
  stats: Record<string, number> = {};
  target: Node | null = null;
  hits: unknown[][] = [];
  onHit(...args: unknown[]): void {
    this.hits.push(args);
  }
}

/** PropsProbe's props, one of each kind: number, string, array, record, node path. */
export const propsProbeSchema = nodePropsSchema.extend({
  speed: z.number().optional(),
  label: z.string().optional(),
  tags: z.array(z.string()).optional(),
  stats: z.record(z.string(), z.number()).optional(),
  target: nodePathProp().optional(),
});
