/**
 * A loopback stand-in for the Upstash Redis REST API, forwarding to a real redis-server, so
 * the Upstash adapter runs through the real @upstash/redis client in tests. It exists because
 * no npm package serves the Upstash REST protocol. It covers what @upstash/redis 1.39 sends
 * (see node_modules/@upstash/redis, HttpClient.request and Pipeline.exec):
 *
 * - every request is a POST with `Authorization: Bearer <token>` (401 otherwise);
 * - `/` takes one command as a JSON array (["SET","k","v","PX",100]: numbers and booleans
 *   appear as JSON values) and answers {"result": ...}; a Redis error is HTTP 400 {"error"};
 * - `/pipeline` takes an array of commands and answers one {"result"} or {"error"} each;
 * - `/multi-exec` runs the commands as one MULTI/EXEC and answers the same shape;
 * - `Upstash-Encoding: base64` (the client's default) means every string in the result,
 *   recursively through arrays, is base64 of its UTF-8 bytes; numbers and null are not. The
 *   client base64-decodes every string it gets back (a failed atob leaves it as it was), so a
 *   shim that skipped this would silently corrupt any value that happens to be valid base64.
 *
 * RESP2 keeps the replies in the shapes Upstash sends (RESP3 maps would arrive as objects,
 * which the client turns into null).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, MultiErrorReply } from "redis";

export interface UpstashShim {
  url: string;
  stop(): Promise<void>;
  /** HTTP requests served so far (including rejected ones). */
  readonly requests: number;
  /**
   * An outage of the REST endpoint: stops listening and drops open connections, so a client
   * meets a refused or reset connection. Redis behind it keeps its data.
   */
  goDown(): Promise<void>;
  /** Serves again, on the same port. */
  comeBack(): Promise<void>;
  /**
   * Goes down at an exact point: the next request carrying a command that `match` picks is
   * dropped unanswered and unrun, and the shim stops serving until comeBack().
   */
  goDownAt(match: (command: string[]) => boolean): void;
}

type Outcome = { result: unknown } | { error: string };

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function toArgs(command: unknown): string[] {
  if (!Array.isArray(command) || command.length === 0) throw new Error("ERR command must be a non-empty array");
  return command.map((arg) => {
    if (typeof arg === "string") return arg;
    if (typeof arg === "number" || typeof arg === "boolean") return String(arg);
    throw new Error(`ERR unsupported argument ${JSON.stringify(arg)}`);
  });
}

function encode(value: unknown, base64: boolean): unknown {
  if (typeof value === "string") return base64 ? Buffer.from(value, "utf8").toString("base64") : value;
  if (Array.isArray(value)) return value.map((v) => encode(v, base64));
  return value; // numbers and null
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export async function startUpstashShim(opts: { redisUrl: string; token: string }): Promise<UpstashShim> {
  const redis = createClient({ url: opts.redisUrl, RESP: 2 });
  redis.on("error", () => {}); // a failed command still rejects; this only keeps the process up
  await redis.connect();
  let requests = 0;

  const single = async (command: unknown): Promise<Outcome> => {
    try {
      return { result: await redis.sendCommand(toArgs(command)) };
    } catch (err) {
      return { error: message(err) };
    }
  };

  const multiExec = async (commands: unknown[]): Promise<Outcome[]> => {
    const multi = redis.multi();
    for (const command of commands) multi.addCommand(toArgs(command));
    try {
      return (await multi.exec()).map((result) => ({ result }));
    } catch (err) {
      // A command that failed inside EXEC: the others ran; report each one.
      if (err instanceof MultiErrorReply) {
        return err.replies.map((r) => (r instanceof Error ? { error: r.message } : { result: r }));
      }
      throw err;
    }
  };

  let downAt: { match: (command: string[]) => boolean; reached: () => void } | undefined;
  const commandsOf = (path: string, body: unknown): string[][] => {
    try {
      return path === "/" ? [toArgs(body)] : Array.isArray(body) ? body.map(toArgs) : [];
    } catch {
      return [];
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests++;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${opts.token}`) return reply(401, { error: "Unauthorized" });
    if (req.method !== "POST") return reply(405, { error: "ERR only POST is served here" });
    const base64 = req.headers["upstash-encoding"] === "base64";
    const out = (o: Outcome) => ("error" in o ? o : { result: encode(o.result, base64) });
    try {
      const body = await readBody(req);
      const path = (req.url ?? "/").split("?")[0];
      if (downAt !== undefined && commandsOf(path ?? "/", body).some(downAt.match)) {
        downAt.reached();
        return;
      }
      if (path === "/") {
        const outcome = await single(body);
        return reply("error" in outcome ? 400 : 200, out(outcome));
      }
      if (path !== "/pipeline" && path !== "/multi-exec") return reply(404, { error: `ERR unknown path ${path}` });
      if (!Array.isArray(body)) return reply(400, { error: "ERR body must be an array of commands" });
      const outcomes = path === "/pipeline" ? await Promise.all(body.map(single)) : await multiExec(body);
      return reply(200, outcomes.map(out));
    } catch (err) {
      return reply(400, { error: message(err) });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  let listening = true;
  const goDown = async () => {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    goDown,
    async comeBack() {
      downAt = undefined;
      if (listening) return;
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      listening = true;
    },
    goDownAt(match) {
      downAt = { match, reached: () => void goDown() };
    },
    async stop() {
      await goDown();
      await redis.close();
    },
  };
}
