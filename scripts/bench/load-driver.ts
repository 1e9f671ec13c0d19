/**
 * The load driver: a child process of the benchmark that plays Telegram on both sides of a
 * bot under test. It runs one fake Bot API per bot (test/support/fake-bot-api.ts, which
 * checks every call as Telegram would), and posts the update stream (update-stream.ts) to
 * the bot's webhook: at a fixed rate with its own paced sender, or flat out with autocannon.
 * It lives apart from the process that measures, and apart from the bot, so that neither's
 * CPU is counted in the other's.
 *
 * Why two senders. autocannon's fixed rate (`overallRate`) lets each connection send its
 * share of a second back to back as soon as the second begins, so "200/s" arrives as a burst
 * of 200 every second, and its coordinated-omission correction assumes an interval of 1 ms
 * per connection, which inflates every percentile. A fixed rate is therefore sent here open
 * loop: update i at exactly start + i/rate, latency counted from that moment (so time spent
 * queued behind a slow answer counts). Flat out is closed loop, which is what autocannon
 * does well: 40 connections (Telegram's default max_connections for a webhook), each sending
 * its next update as soon as the last one is answered.
 *
 * Driven over IPC by webhook-rig.ts (messages in load-protocol.ts): `target` starts a fake
 * and a stream for a bot, `run` posts load to it and answers with what it measured and what
 * the fake saw.
 */
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { FakeBotApi } from "../../test/support/fake-bot-api";
import { type DriverReply, type DriverRequest, type LoadMode, type LoadResult, WEBHOOK_CONNECTIONS } from "./load-protocol";
import { percentile } from "./process-stats";
import { UpdateStream } from "./update-stream";

interface Target {
  fake: FakeBotApi;
  stream: UpdateStream;
}

const targets = new Map<string, Target>();

async function handle(req: DriverRequest): Promise<unknown> {
  switch (req.op) {
    case "target": {
      // Telegram keeps connections open far longer than Node's 5 s: pauses between runs must
      // not turn into ECONNRESETs in the next one.
      const fake = await FakeBotApi.start({ keepAliveMs: 10 * 60_000 });
      targets.set(req.name, { fake, stream: new UpdateStream(req.fixtures, fake) });
      return { apiRoot: fake.apiRoot, token: fake.token, botInfo: fake.botInfo };
    }
    case "run": {
      const target = targets.get(req.name);
      if (!target) throw new Error(`no target ${req.name}`);
      target.stream.startRun();
      const measured =
        req.mode.kind === "paced"
          ? await paced(req.url, req.secret, req.mode, target.stream)
          : await flat(req.url, req.secret, req.mode, target.stream);
      // The bot answers before its webhook does, but give any call still on the wire a moment.
      await new Promise((r) => setTimeout(r, 300));
      return { ...measured, mode: req.mode, tally: target.stream.finishRun() } satisfies LoadResult;
    }
    case "exit":
      await Promise.all([...targets.values()].map((t) => t.fake.stop()));
      setImmediate(() => process.exit(0));
      return null;
  }
}

type Measured = Omit<LoadResult, "mode" | "tally">;

function summarize(latencies: number[], statuses: Record<string, number>, errors: number, elapsedMs: number): Measured {
  const at = (p: number) => percentile(latencies, p);
  return { statuses, errors, ok: statuses["200"] ?? 0, elapsedMs, p50: at(50), p99: at(99), max: at(100) };
}

/** Open loop: update i leaves at start + i/rate whatever happened to the ones before. */
function paced(url: string, secret: string, mode: Extract<LoadMode, { kind: "paced" }>, stream: UpdateStream): Promise<Measured> {
  const target = new URL("/telegram", url);
  const agent = new Agent({ keepAlive: true, maxSockets: WEBHOOK_CONNECTIONS });
  const total = Math.round(mode.rate * mode.seconds);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let finished = 0;
  let lag = 0;
  const start = performance.now() + 20;
  const due = (i: number) => start + (i * 1000) / mode.rate;

  return new Promise((resolve) => {
    const done = () => {
      if (++finished < total) return;
      agent.destroy();
      resolve({ ...summarize(latencies, statuses, errors, performance.now() - start), senderLagMs: lag });
    };
    const send = (scheduled: number) => {
      const body = stream.nextBody();
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          timeout: 30_000,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "X-Telegram-Bot-Api-Secret-Token": secret },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            latencies.push(performance.now() - scheduled);
            statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
            done();
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => {
        errors++;
        done();
      });
      req.end(body);
    };
    let i = 0;
    const tick = () => {
      const now = performance.now();
      while (i < total && due(i) <= now) {
        lag = Math.max(lag, now - due(i));
        send(due(i));
        i++;
      }
      if (i < total) setTimeout(tick, Math.max(0, due(i) - performance.now() - 1));
    };
    setTimeout(tick, 20);
  });
}

/** Closed loop with autocannon: every connection sends its next update once the last is answered. */
function flat(url: string, secret: string, mode: Extract<LoadMode, { kind: "flat" }>, stream: UpdateStream): Promise<Measured> {
  const latencies: number[] = [];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: mode.connections ?? WEBHOOK_CONNECTIONS,
        duration: mode.seconds,
        timeout: 30,
        requests: [
          {
            method: "POST",
            path: "/telegram",
            headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret },
            setupRequest: (req) => ({ ...req, body: stream.nextBody() }),
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
        resolve(summarize(latencies, statuses, result.errors + result.timeouts, performance.now() - started));
      },
    );
    // autocannon's own histogram keeps whole milliseconds; the response events carry the exact time.
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

process.on("message", (message: { id: number; req: DriverRequest }) => {
  handle(message.req).then(
    (value) => process.send!({ id: message.id, ok: true, value } satisfies DriverReply),
    (err: unknown) =>
      process.send!({ id: message.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies DriverReply),
  );
});
process.on("disconnect", () => process.exit(0));
