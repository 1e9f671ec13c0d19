/**
 * npm run api-key -- issue PARTNER | revoke ID | list — the Open311 keys of partner systems
 * (a 12345 platform, a town's grid system). `issue` prints a new key once: only its SHA-256 is
 * stored, so a lost key is revoked and a new one issued. A revoked key is refused at once.
 * Reads DATABASE_URL (migrating it first, as the other scripts do).
 */
import { systemClock } from "../src/services/clock";
import { partnerService } from "../src/services/partners";
import { runCli, UsageError, withDb } from "./cli";

const USAGE = `Usage:
  npm run api-key -- issue "PARTNER NAME"   prints a new key once (keep it; it cannot be shown again)
  npm run api-key -- revoke ID              refuses that key from now on
  npm run api-key -- list                   the keys: id, partner, issued, last used, revoked`;

const day = (ms: number | null) => (ms === null ? "-" : new Date(ms).toISOString().slice(0, 16).replace("T", " "));

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const partners = (db: Parameters<typeof partnerService>[0]["db"]) => partnerService({ db, clock: systemClock });
  switch (command) {
    case "issue": {
      const partner = rest.join(" ").trim();
      if (partner === "" || partner.length > 100) throw new UsageError("issue needs the partner's name (at most 100 characters)");
      return withDb(async (db, where) => {
        const { id, key } = await partners(db).issue(partner);
        console.log(key);
        console.log(`Key ${id} issued to "${partner}" in ${where}. It is shown only this once: hand it to the partner over a safe channel.`);
        return 0;
      });
    }
    case "revoke": {
      const id = Number(rest[0]);
      if (rest.length !== 1 || !Number.isSafeInteger(id) || id < 1) throw new UsageError("revoke needs a key's id (see list)");
      return withDb(async (db) => {
        if (await partners(db).revoke(id)) {
          console.log(`Key ${id} revoked: requests with it are refused from now on.`);
          return 0;
        }
        console.error(`api-key: there is no key ${id} in use (see list)`);
        return 1;
      });
    }
    case "list":
      if (rest.length > 0) throw new UsageError("list takes nothing more");
      return withDb(async (db) => {
        const keys = await partners(db).list();
        if (keys.length === 0) console.log("No keys issued.");
        for (const k of keys)
          console.log(
            `${k.id}\t${k.partner}\tissued ${day(k.createdAt)}\tlast used ${day(k.lastUsedAt)}\t${k.revokedAt === null ? "in use" : `revoked ${day(k.revokedAt)}`}`,
          );
        return 0;
      });
    default:
      throw new UsageError(command === undefined ? "say what to do" : `unknown command "${command}"`);
  }
}

await runCli("api-key", USAGE, main);
