/**
 * What anyone may read about the office's cases on the web (the public page, /public, and
 * Open311's lists): the cases listed for supervision, open or closed — the same cases the
 * public channel posts — with number, sector, town, responsible unit, status, deadline and
 * closure, the place's pin, and the hazard as described, clipped, with phone and ID numbers
 * masked. Never the reporter: its queries (db/queries/public.ts) never read case_reporters.
 * Off until the office turns it on in the directory file (`publication: { public_page: true }`).
 */
import type { Db } from "../../db/client";
import { eventsOfCase } from "../../db/queries/case-events";
import { listedCaseByNumber, listedCases, type PublicCaseFilter, type PublicCaseRow } from "../../db/queries/public";
import { readOfficeSettings } from "../../db/queries/settings";
import { publicTimeline, publishedTimeline, type TimelineEntry } from "../domain/case-status";
import type { LatLng } from "../domain/geo";
import { unitsNamedIn } from "./citizen-cases";
import { publicDescription } from "./public-channel";

type Named = { nameZh: string; nameEn: string };

export interface PublicCase {
  number: string;
  status: PublicCaseRow["status"];
  sectorId: string | null;
  regionId: string | null;
  sector: Named | null;
  region: Named | null;
  unit: Named | null;
  location: LatLng | null;
  /** Clipped, phone and ID numbers masked. */
  description: string;
  dueAt: number | null;
  closedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface PublicCaseDetail {
  case: PublicCase;
  timeline: TimelineEntry[];
  units: Map<string, Named>;
}

/** A left join's all-null row is no row. */
const named = (r: { nameZh: string | null; nameEn: string | null } | null): Named | null =>
  r?.nameZh != null && r.nameEn != null ? { nameZh: r.nameZh, nameEn: r.nameEn } : null;

function toPublic(row: PublicCaseRow): PublicCase {
  return {
    number: row.number,
    status: row.status,
    sectorId: row.sectorId,
    regionId: row.regionId,
    sector: named(row.sector),
    region: named(row.region),
    unit: named(row.unit),
    location: row.latitude !== null && row.longitude !== null ? { lat: row.latitude, lng: row.longitude } : null,
    description: publicDescription(row.description),
    dueAt: row.dueAt,
    closedAt: row.closedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function publicCaseService(deps: { db: Db }) {
  const { db } = deps;
  return {
    /** Whether the office has turned the public page on (off by default). */
    enabled: async () => (await readOfficeSettings(db)).publication?.publicPage === true,
    list: async (filter: PublicCaseFilter) => (await listedCases(db, filter)).map(toPublic),
    /** One public case with its published timeline; null when there is none or it is not public. */
    async one(number: string): Promise<PublicCaseDetail | null> {
      const row = await listedCaseByNumber(db, number);
      if (!row) return null;
      const timeline = publishedTimeline(publicTimeline(await eventsOfCase(db, row.id)));
      return { case: toPublic(row), timeline, units: await unitsNamedIn(db, timeline) };
    },
  };
}

export type PublicCaseService = ReturnType<typeof publicCaseService>;
