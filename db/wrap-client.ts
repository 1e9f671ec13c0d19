/** A libSQL client whose statements go through a wrapper (busy-retry.ts, serialized-writes.ts), the rest through to the client itself. */
import type { Client } from "@libsql/client";

export type ClientStatements = Pick<Client, "execute" | "batch" | "migrate" | "transaction" | "executeMultiple">;

export function wrapClient(client: Client, statements: ClientStatements): Client {
  return {
    ...statements,
    sync: () => client.sync(),
    close: () => client.close(),
    reconnect: () => client.reconnect(),
    get closed() {
      return client.closed;
    },
    get protocol() {
      return client.protocol;
    },
  };
}
