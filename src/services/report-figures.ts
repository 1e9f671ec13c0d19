/**
 * The figures of the units' ranking (red and black lists), /stats and the leaders' daily
 * digest: reads the indexed query results (db/queries/reports.ts) and hands them to the pure
 * rules (src/domain/reports.ts). One use case for several doors: the /ranking and /stats
 * commands, the scheduled publication of the ranking, the digest. Rendering them is
 * src/services/report-messages.ts.
 *
 * (Named report-figures rather than reports: src/services/reports.ts submits citizens' reports.)
 */
import type { Db } from "../../db/client";
import {
  type AreaFilter,
  casesHandedOver,
  casesReceived,
  closedTimes,
  countClosed,
  countOpen,
  countOverdue,
  countSupervisedOpen,
  mostOverdue,
  newlyOverdue,
  overdueByUnit,
  receivedTimes,
  reportRegions,
  reportSectors,
  reportUnits,
} from "../../db/queries/reports";
import { type OfficeCalendar, officeDate } from "../domain/calendar";
import {
  type AreaMatch,
  type DigestFigures,
  digestDays,
  digestFigures,
  digestPeriod,
  MIN_RANKED_CASES,
  matchArea,
  type PeriodKind,
  type PeriodWhich,
  periodRange,
  type Range,
  type Ranking,
  rankUnits,
  type StatsFigures,
  statsFigures,
  WORST_OVERDUE,
} from "../domain/reports";
import type { Clock } from "./clock";

/** Names of units by id, in both languages, for the renderers. */
export type UnitNames = Record<string, { nameZh: string; nameEn: string }>;

export interface ReportPeriod {
  kind: PeriodKind;
  which: PeriodWhich;
  range: Range;
  /** When the figures were taken: a current period is "to date". */
  now: number;
}

export interface RankingReport {
  period: ReportPeriod;
  ranking: Ranking;
  units: UnitNames;
}

export type StatsArea = Extract<AreaMatch, { ok: true }>["area"];

export interface StatsReport {
  period: ReportPeriod;
  area: StatsArea | null;
  figures: StatsFigures;
}

export interface DigestReport {
  at: number;
  figures: DigestFigures;
  units: UnitNames;
}

export function reportFigureService(deps: { db: Db; officeTz: string; clock: Clock }) {
  const { db, officeTz, clock } = deps;

  const period = (kind: PeriodKind, which: PeriodWhich, now: number): ReportPeriod => ({
    kind,
    which,
    range: periodRange(kind, now, officeTz, which),
    now,
  });

  async function unitNames() {
    const rows = await reportUnits(db);
    return { rows, names: Object.fromEntries(rows.map((u) => [u.id, { nameZh: u.nameZh, nameEn: u.nameEn }])) as UnitNames };
  }

  return {
    /**
     * The units' ranking for the period: every unit that works cases (the office's own unit
     * only if it had cases or has overdue ones), ranked by the rules of rankUnits.
     */
    async ranking(kind: PeriodKind, which: PeriodWhich, opts: { minCases?: number } = {}): Promise<RankingReport> {
      const now = clock.now();
      const p = period(kind, which, now);
      const [units, handed, overdue] = await Promise.all([unitNames(), casesHandedOver(db, p.range), overdueByUnit(db, now)]);
      const unitIds = units.rows.filter((u) => u.kind !== "office").map((u) => u.id);
      const ranking = rankUnits({ unitIds, cases: handed, overdue }, { now, minCases: opts.minCases ?? MIN_RANKED_CASES });
      return { period: p, ranking, units: units.names };
    },

    /** The region or sector a person typed after /stats, or why it is not one. */
    async findArea(text: string): Promise<AreaMatch> {
      const [regions, sectors] = await Promise.all([reportRegions(db), reportSectors(db)]);
      return matchArea(text, regions, sectors);
    },

    /** The office's figures for the period, in one region (with those under it) or sector if given. */
    async stats(kind: PeriodKind, which: PeriodWhich, area: Extract<AreaMatch, { ok: true }> | null = null): Promise<StatsReport> {
      const now = clock.now();
      const p = period(kind, which, now);
      const filter: AreaFilter = area === null ? null : area.area.type === "sector" ? { sectorId: area.area.id } : { regionIds: area.regionIds };
      const [received, closed, openNow, overdueNow] = await Promise.all([
        casesReceived(db, p.range, filter),
        countClosed(db, p.range, filter),
        countOpen(db, filter),
        countOverdue(db, now, filter),
      ]);
      return { period: p, area: area?.area ?? null, figures: statsFigures({ received, closed, openNow, overdueNow }, now) };
    },

    /**
     * The leaders' digest of the office date `at` falls on: the period since the previous
     * working day (digestPeriod, by the office's calendar as in force, the directory file's
     * overrides included), with the 14 days' trend ending yesterday.
     */
    async digest(at: number, calendar: OfficeCalendar): Promise<DigestReport> {
      const period = digestPeriod(calendar, officeDate(calendar, at));
      const days = digestDays(at, calendar.timeZone);
      const span = { from: Math.min(days[0]!.from, period.from), to: Math.max(days.at(-1)!.to, period.to) };
      const [units, openedAt, closedAt, missed, overdueNow, overdue, supervisedOpen] = await Promise.all([
        unitNames(),
        receivedTimes(db, span),
        closedTimes(db, span),
        newlyOverdue(db, period),
        countOverdue(db, at, null),
        mostOverdue(db, at, WORST_OVERDUE),
        countSupervisedOpen(db),
      ]);
      const input = { period, days, openedAt, closedAt, newlyOverdue: missed, overdueNow, overdue, supervisedOpen };
      return { at, figures: digestFigures(input, at), units: units.names };
    },
  };
}

export type ReportFigureService = ReturnType<typeof reportFigureService>;
