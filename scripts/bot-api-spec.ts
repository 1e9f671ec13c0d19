/**
 * npm run bot-api-spec — refreshes src/local/bot-api-methods.json, the built-in Bot API's copy
 * of every method's fields (name, required, types), from the official description in
 * ../shared/telegram-bot-api/api.json (or the path given). The copy is committed so that the
 * tests and local mode run on a clone that has no shared/ folder beside it.
 */
import { readFileSync, writeFileSync } from "node:fs";

interface Field {
  name: string;
  required: boolean;
  types: string[];
}
interface Spec {
  version: string;
  release_date: string;
  methods: Record<string, { fields?: Field[] }>;
}

const source = process.argv[2] ?? new URL("../../shared/telegram-bot-api/api.json", import.meta.url).pathname;
const spec = JSON.parse(readFileSync(source, "utf8")) as Spec;
const methods = Object.fromEntries(
  Object.entries(spec.methods).map(([name, method]) => [
    name,
    Object.fromEntries((method.fields ?? []).map((f) => [f.name, { required: f.required, types: f.types }])),
  ]),
);
const target = new URL("../src/local/bot-api-methods.json", import.meta.url);
writeFileSync(target, `${JSON.stringify({ version: spec.version, release_date: spec.release_date, methods }, null, 1)}\n`);
console.log(`Wrote ${Object.keys(methods).length} methods of ${spec.version} to ${target.pathname}`);
