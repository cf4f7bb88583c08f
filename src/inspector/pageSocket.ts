import type { WebSocket } from "ws";
import { clientMessageSchema, type ClientMessage } from "./protocol";
import { tokenMatches } from "./security";
import { InspectorCloseCode, Session } from "./Session";

/** A page that has not sent the right token this soon after connecting is disconnected. */
export const HELLO_TIMEOUT_MS = 10_000;

export interface PageHandlers {
  /** The page proved the token (its first message). */
  authenticated(session: Session): void;
  /** A later message, checked against the protocol's schema. */
  message(session: Session, message: ClientMessage): void;
  closed(session: Session): void;
}

/**
 * Takes a newly upgraded page socket: it must send `hello` with the token first, then only messages
 * the protocol lists; anything else closes it (before the hello) or is answered with an error.
 */
export function acceptPage(socket: WebSocket, token: string, handlers: PageHandlers): Session {
  const session = new Session(socket);
  const helloTimer = setTimeout(
    () => session.close(InspectorCloseCode.UNAUTHORIZED, "no hello"),
    HELLO_TIMEOUT_MS,
  );
  helloTimer.unref();
  socket.on("message", (data, isBinary) => {
    if (isBinary) return session.close(1003, "text frames only");
    const parsed = parseClientMessage(data.toString());
    if (typeof parsed === "string") {
      if (!session.authenticated) return session.close(InspectorCloseCode.UNAUTHORIZED, "hello expected");
      session.send({ t: "error", error: `Refused message: ${parsed}` });
      return;
    }
    if (!session.authenticated) {
      if (parsed.t !== "hello" || !tokenMatches(token, parsed.token))
        return session.close(InspectorCloseCode.UNAUTHORIZED, "wrong token");
      clearTimeout(helloTimer);
      session.authenticated = true;
      handlers.authenticated(session);
      return;
    }
    handlers.message(session, parsed);
  });
  socket.on("error", () => {}); // a broken page socket closes; nothing to report
  socket.on("close", () => {
    clearTimeout(helloTimer);
    handlers.closed(session);
  });
  return session;
}

/** A page's message, or why it is refused. */
export function parseClientMessage(text: string): ClientMessage | string {
  try {
    const parsed = clientMessageSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return parsed.error.issues[0]?.message ?? "invalid message";
    return parsed.data;
  } catch (error) {
    return (error as Error).message;
  }
}
