/**
 * Calling the console's API as a person would from the Mini App: with launch data signed by
 * the test bot's token, as Telegram signs it.
 */
import { type InitDataUser, signInitData } from "../../src/console/init-data";
import { TEST_TOKEN } from "./fake-bot-api";
import type { Harness } from "./harness";

export function initDataFor(user: InitDataUser, at = Date.now(), token = TEST_TOKEN): Promise<string> {
  return signInitData(user, token, at);
}

/** A fetch of /console/api/<path> as `user` (or with the given Authorization, or none). */
export async function consoleFetch(
  h: Pick<Harness, "baseUrl">,
  path: string,
  opts: { as?: InitDataUser; authorization?: string | null; method?: string; body?: unknown } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.as) headers.Authorization = `tma ${await initDataFor(opts.as)}`;
  else if (opts.authorization) headers.Authorization = opts.authorization;
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(`${h.baseUrl}/console/api/${path.replace(/^\//, "")}`, {
    method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
}
