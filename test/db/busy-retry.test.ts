/** A remote database's busy refusals are sent again, and only where nothing of them ran. */
import type { Client, ResultSet, Transaction } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { retryBusy } from "../../db/busy-retry";

const busy = () => Object.assign(new Error("SQLITE_BUSY: database is locked"), { name: "LibsqlError", code: "SQLITE_BUSY" });
const result = {} as ResultSet;

/** A client whose statements are refused as busy `refusals` times; each transaction's BEGIN goes with its first statement, as over HTTP. */
function refusingClient(refusals: { statements?: number; begins?: number; inside?: number }) {
  let { statements = 0, begins = 0, inside = 0 } = refusals;
  const log: string[] = [];
  let opened = 0;
  const client = {
    async execute() {
      log.push("execute");
      if (statements-- > 0) throw busy();
      return result;
    },
    async transaction() {
      const n = ++opened;
      let started = false;
      let closed = false;
      const tx = {
        async execute() {
          if (closed) throw Object.assign(new Error("closed"), { code: "TRANSACTION_CLOSED" });
          if (!started) {
            log.push(`begin ${n}`);
            if (begins-- > 0) {
              closed = true; // as the HTTP client closes a transaction whose BEGIN failed
              throw busy();
            }
            started = true;
          }
          log.push(`statement in ${n}`);
          if (inside-- > 0) throw busy();
          return result;
        },
        async commit() {
          log.push(`commit ${n}`);
        },
        get closed() {
          return closed;
        },
      };
      return tx as unknown as Transaction;
    },
  };
  return { client: retryBusy(client as unknown as Client, 2_000), log };
}

describe("busy refusals from a database server", () => {
  it("a statement refused as busy is sent again until it is taken", async () => {
    const { client, log } = refusingClient({ statements: 3 });
    await client.execute("insert into kv (key, value) values ('a', '1')");
    expect(log).toEqual(["execute", "execute", "execute", "execute"]);
  });

  it("a transaction whose BEGIN was refused is begun again, and its first statement runs once", async () => {
    const { client, log } = refusingClient({ begins: 2 });
    const tx = await client.transaction("write");
    await tx.execute("insert into kv (key, value) values ('a', '1')");
    await tx.execute("insert into kv (key, value) values ('b', '1')");
    await tx.commit();
    expect(log).toEqual(["begin 1", "begin 2", "begin 3", "statement in 3", "statement in 3", "commit 3"]);
  });

  it("a statement refused inside a transaction that had begun is not sent again", async () => {
    const { client, log } = refusingClient({ inside: 1 });
    const tx = await client.transaction("write");
    await expect(tx.execute("insert into kv (key, value) values ('a', '1')")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    expect(log).toEqual(["begin 1", "statement in 1"]);
  });
});
