/** The office's time settings: one row (id 1) of JSON, read whole and written whole. */
import { eq } from "drizzle-orm";
import { type OfficeSettings, readSettings } from "../../src/domain/office-settings";
import type { Executor } from "../client";
import { officeSettings } from "../schema";

const ROW = 1;

/** What the office has set; {} when it has set nothing (every section keeps its default). */
export async function readOfficeSettings(ex: Executor): Promise<OfficeSettings> {
  const [row] = await ex.select({ settings: officeSettings.settings }).from(officeSettings).where(eq(officeSettings.id, ROW));
  return readSettings(row?.settings);
}

export async function writeOfficeSettings(ex: Executor, settings: OfficeSettings, now: number): Promise<void> {
  await ex
    .insert(officeSettings)
    .values({ id: ROW, settings, updatedAt: now })
    .onConflictDoUpdate({ target: officeSettings.id, set: { settings, updatedAt: now } });
}
