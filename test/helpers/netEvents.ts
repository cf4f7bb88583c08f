import type { Clock } from "../../src/core/clock";
import type { ReconnectingSocket, ReconnectingSocketEvents } from "../../src/net/ReconnectingSocket";

export type EventName = keyof ReconnectingSocketEvents;
/** One emitted event: its name then its arguments, with message bytes turned into text for readability. */
export type RecordedEvent = [EventName, ...unknown[]];

export interface EventLog {
  readonly events: RecordedEvent[];
  /** `clock.now()` at each event, parallel to `events`. */
  readonly times: number[];
  /** The recorded events with this name. */
  of(name: EventName): RecordedEvent[];
  count(name: EventName): number;
}

const EVENT_NAMES: EventName[] = [
  "stateChanged",
  "open",
  "closing",
  "close",
  "message",
  "connectFailed",
  "reconnectScheduled",
  "reconnectGaveUp",
  "sendRefused",
];

/** Records every event of `socket`, and checks that `state` already reads the new value in stateChanged. */
export function recordEvents(socket: ReconnectingSocket, clock?: Clock): EventLog {
  const events: RecordedEvent[] = [];
  const times: number[] = [];
  const push = (event: RecordedEvent): void => {
    events.push(event);
    times.push(clock?.now() ?? 0);
  };
  for (const name of EVENT_NAMES) {
    socket.on(name, (...args: unknown[]) => {
      if (name === "message") push([name, (args[0] as Buffer).toString(), args[1]]);
      else if (name === "sendRefused") push([name, textOf(args[0]), args[1]]);
      else if (name === "stateChanged") {
        if (socket.state !== args[0])
          throw new Error(`state reads ${socket.state} inside stateChanged(${args[0]})`);
        push([name, args[0]]);
      } else push([name, ...args]);
    });
  }
  return {
    events,
    times,
    of: (name) => events.filter((event) => event[0] === name),
    count: (name) => events.filter((event) => event[0] === name).length,
  };
}

function textOf(data: unknown): string {
  if (typeof data === "string") return data;
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : (data as Uint8Array)).toString();
}
