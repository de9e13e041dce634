/** See tcp-proxy.js: a TCP relay whose `cut()` severs every connection and refuses new ones until `restore()`. */
export declare class TcpProxy {
  constructor(targetHost: string, targetPort: number);
  /** Listens on 127.0.0.1 (a free port the first time, the same port after a cut); returns the port. */
  start(): Promise<number>;
  cut(): Promise<void>;
  restore(): Promise<void>;
  stop(): Promise<void>;
}
