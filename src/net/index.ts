/** The network core: a Godot-style WebSocketPeer and the reconnecting client both WebSocket nodes wrap. */
export {
  WebSocketPeer,
  WebSocketPeerState,
  WebSocketWriteMode,
  DEFAULT_INBOUND_BUFFER_SIZE,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_MAX_QUEUED_PACKETS,
  DEFAULT_OUTBOUND_BUFFER_SIZE,
  type WebSocketConnectOptions,
  type WebSocketPeerEvents,
  type WebSocketPeerOptions,
  type WebSocketTlsOptions,
} from "./WebSocketPeer";
export {
  DEFAULT_SEND_QUEUE_BYTE_LIMIT,
  ReconnectingSocket,
  type DispatchMode,
  type OutgoingData,
  type QueuedMessage,
  type ReconnectingSocketEvents,
  type ReconnectingSocketOptions,
} from "./ReconnectingSocket";
export { backoffDelay, DEFAULT_BACKOFF, type BackoffSettings } from "./Backoff";
export { CloseCode, closeArgumentsProblem, isSendableCloseCode } from "./closeCodes";
export { webSocketUrlProblem } from "./webSocketUrl";
export { WebSocketListener, type WebSocketListenerOptions } from "./WebSocketListener";
