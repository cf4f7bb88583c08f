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
  type WebSocketPeerDriver,
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
  type ReconnectingSocketObserver,
  type ReconnectingSocketOptions,
} from "./ReconnectingSocket";
export {
  CONNECTION_SETTINGS,
  CONNECTION_SETTING_NAMES,
  DEFAULT_CONNECTION_SETTINGS,
  createConnectionSettings,
  type ConnectionSettingName,
  type ConnectionSettings,
  type HeadersProvider,
  type ReconnectPolicy,
  type SettingKind,
  type SettingRow,
  type UrlProvider,
} from "./settings";
export { backoffDelay, DEFAULT_BACKOFF, type BackoffSettings } from "./Backoff";
export { CloseCode, closeArgumentsProblem, isSendableCloseCode } from "./closeCodes";
export { webSocketUrlProblem } from "./webSocketUrl";
export { WebSocketListener, type WebSocketListenerOptions } from "./WebSocketListener";
