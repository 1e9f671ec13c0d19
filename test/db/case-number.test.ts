/**
 * A report's number is made in SQL inside the batch that stores it (db/queries/cases.ts,
 * caseNumberSql), and read back and formatted elsewhere by formatCaseNumber: the two must
 * give the same text for every sequence, the widening past 9999 included.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client";
import { caseNumberSql } from "../../db/queries/cases";
import { counters } from "../../db/schema";
import { formatCaseNumber } from "../../src/domain/numbering";
import { createTestDatabase, type TestDatabase } from "../support/db";

let database: TestDatabase;
let db: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.client);
});
afterAll(() => database.dispose());

describe("caseNumberSql", () => {
  it.each([1, 9, 42, 999, 9999, 10_000, 123_456])("gives formatCaseNumber's text for sequence %i", async (seq) => {
    const scope = `YH-20261207-${seq}`;
    await db.insert(counters).values({ scope, value: seq });
    const [row] = await db.all<{ number: string }>(sql`select ${caseNumberSql(scope)} as number`);
    expect(row!.number).toBe(formatCaseNumber(scope, seq));
  });
});
