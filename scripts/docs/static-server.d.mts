export interface StaticServer {
  /** `http://host:port/`, with a trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}
/** Serves `root` over HTTP (GET and HEAD); port 0, the default, picks a free port. */
export function startStaticServer(options: { root: string; host?: string; port?: number }): Promise<StaticServer>;
