/**
 * What was done about a hazard, as the office reads it on the verification card, in /case and
 * in the ledger export: the latest rectification's measures, the person responsible
 * and when it was reported done. A case sent back and rectified again shows the latest.
 */
import { readEvent } from "./workflow";

export interface Resolution {
  measures: string;
  responsible: string;
  /** Photos sent with it. */
  evidence: number;
  at: number;
}

/** The latest `resolved` among a case's stored events (oldest first), or null before any; a row this version cannot read is passed over. */
export function latestResolution(events: readonly { at: number; action: string; data?: unknown }[]): Resolution | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const row = events[i]!;
    if (row.action !== "resolved") continue;
    const event = readEvent({ action: row.action, data: row.data });
    if (event?.action === "resolved") return { ...event.data, at: row.at };
  }
  return null;
}
