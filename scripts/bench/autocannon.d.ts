/**
 * The part of autocannon 8's API the load driver uses (the package ships no types, and
 * @types/autocannon would be one more dependency for five fields).
 */
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Called before each request is sent; what it returns is sent. */
    setupRequest?: (req: Request, context: Record<string, unknown>) => Request;
  }

  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    requests?: Request[];
  }

  interface Result {
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
    statusCodeStats: Record<string, { count: number }>;
    latency: { p50: number; p99: number; max: number };
  }

  interface Instance extends EventEmitter {
    on(event: "response", listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this;
    stop(): void;
  }

  function autocannon(opts: Options, callback: (err: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
