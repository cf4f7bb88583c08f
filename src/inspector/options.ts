export interface InspectorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Address to listen on (default 127.0.0.1). Anything but loopback exposes the tree to the network. */
  host?: string;
}

export interface Inspector {
  /** The page's address with its access token: `http://127.0.0.1:PORT/#token=…`. */
  readonly url: string;
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Disconnects every page, stops listening and stops watching the tree. */
  close(): Promise<void>;
}
