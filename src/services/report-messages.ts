/**
 * How the ranking, /stats and the leaders' digest read: pure text renderers over the figures
 * (src/services/report-figures.ts), in the reader's language through the locale keys. Kept
 * apart from the handlers because the same text goes out as a reply to /ranking or /stats,
 * as the scheduled publication of the ranking to the units' groups (through the outbox,
 * written long before any handler runs), and as the caption of the digest's chart.
 *
 * Sizes: a county has some 12–60 units, one compact line each, with long names clipped, so a
 * ranking stays within one Telegram message (4096); the digest caption within 1024. Missing
 * figures (nothing to judge yet, no ratings) show as a dash, never NaN.
 */
import { SOURCES, type Source } from "../domain/doors";
import { type Locale, localName } from "../domain/locale";
import { formatOfficeTime } from "../domain/office-time";
import { officeDateOf, type Rate, type UnitFigures } from "../domain/reports";
import { CASE_KINDS } from "../domain/workflow";
import type { Translate } from "../i18n";
import { clip, fitMessage } from "./case-cards";
import type { DigestReport, RankingReport, ReportPeriod, StatsReport, UnitNames } from "./report-figures";

/** Telegram's ceilings: a message's text and a photo's caption. */
export const MAX_MESSAGE = 4096;
export const MAX_CAPTION = 1024;
/**
 * How much of a unit's name a ranking line shows: the whole name when the ranking fits one
 * message with it, else clipped, as little as needed, so that sixty lines fit (English names
 * are long).
 */
const UNIT_NAME_LIMITS = [Infinity, 24, 18, 14, 10] as const;
/** The digest names at most three units. */
const DIGEST_UNIT_CHARS = 40;

const none = (t: Translate) => t("report-none");
const percent = (t: Translate, r: Rate) => (r.rate === null ? none(t) : `${Math.round(r.rate * 100)}%`);
/** A rate with what it is of: "92% (11/12)". */
const rateWithCounts = (t: Translate, r: Rate) =>
  r.rate === null ? none(t) : t("report-rate", { percent: percent(t, r), count: r.count, of: r.of });
const hours = (t: Translate, h: number | null) =>
  h === null ? none(t) : t("report-hours", { hours: h < 10 ? h.toFixed(1) : String(Math.round(h)) });
const rating = (t: Translate, s: { mean: number | null; count: number }) =>
  s.mean === null ? none(t) : t("report-rating", { mean: s.mean.toFixed(1), count: s.count });

const unitName = (locale: Locale, units: UnitNames, id: string | null) => {
  const u = id === null ? undefined : units[id];
  return u ? localName(locale, u) : (id ?? "");
};

/** "Month: 2026-11-01 to 2026-11-30 (to 2026-11-25 10:00)". */
export function periodLabel(t: Translate, timeZone: string, p: ReportPeriod): string {
  const label = t("report-period", {
    kind: t("report-kind", { kind: p.kind }),
    from: officeDateOf(p.range.from, timeZone),
    to: officeDateOf(p.range.to - 1, timeZone),
  });
  return p.which === "current" && p.now < p.range.to ? `${label}${t("report-to-date", { now: formatOfficeTime(p.now, timeZone) })}` : label;
}

/**
 * The units' ranking: one line per ranked unit, the red and black lists, the units not
 * ranked, the rules. Unit names are clipped as far as needed to fit one message; a county
 * with more units than that gets the whole text, which is sent in parts (the outbox splits
 * it; /ranking replies in parts), never cut short.
 */
export function renderRanking(t: Translate, locale: Locale, timeZone: string, report: RankingReport): string {
  let text = "";
  for (const limit of UNIT_NAME_LIMITS) {
    text = rankingText(t, locale, timeZone, report, limit);
    if (text.length <= MAX_MESSAGE) return text;
  }
  return text;
}

function rankingText(t: Translate, locale: Locale, timeZone: string, report: RankingReport, nameChars: number): string {
  const { ranking, units } = report;
  const sep = t("report-sep");
  const name = (id: string) => clip(unitName(locale, units, id), nameChars);
  const lines = [t("ranking-title", { period: periodLabel(t, timeZone, report.period) })];

  if (ranking.ranked.length === 0) {
    lines.push(t("ranking-none", { min: ranking.minCases }));
  } else {
    lines.push(t("ranking-legend"));
    for (const u of ranking.ranked) {
      lines.push(
        t("ranking-line", {
          rank: u.rank,
          mark: u.list === null ? "" : t(`ranking-mark-${u.list}`),
          unit: name(u.unitId),
          received: u.received,
          accept: percent(t, u.acceptedOnTime),
          resolve: percent(t, u.resolvedOnTime),
          overdue: u.overdueNow,
          hours: hours(t, u.avgHandlingHours),
          satisfaction: rating(t, u.satisfaction),
          reopened: u.reopened,
        }),
      );
    }
    const listed = (list: "red" | "black") => ranking.ranked.filter((u) => u.list === list).map((u) => name(u.unitId));
    const red = listed("red");
    const black = listed("black");
    lines.push("", red.length > 0 ? t("ranking-red", { units: red.join(sep) }) : t("ranking-red-none"));
    lines.push(black.length > 0 ? t("ranking-black", { units: black.join(sep) }) : t("ranking-black-none"));
  }

  // Units not ranked: those with cases or overdue ones by name, the idle ones as a count.
  const active = ranking.unranked.filter((u: UnitFigures) => u.received > 0 || u.overdueNow > 0);
  const idle = ranking.unranked.length - active.length;
  if (active.length > 0) {
    const entries = active.map((u) =>
      t("ranking-unranked-unit", {
        unit: name(u.unitId),
        received: u.received,
        overdue: u.overdueNow > 0 ? t("ranking-unranked-overdue", { count: u.overdueNow }) : "",
      }),
    );
    lines.push("", t("ranking-unranked", { min: ranking.minCases, units: entries.join(sep) }));
  }
  if (idle > 0) lines.push(t("ranking-idle", { count: idle }));
  lines.push("", t("ranking-rules", { min: ranking.minCases }));
  return lines.join("\n");
}

/** The received cases by the door they came by, the doors with any; none when every one came by the chat. */
function bySourceLine(t: Translate, bySource: Record<Source, number>): string[] {
  const doors = SOURCES.filter((s) => bySource[s] > 0);
  if (doors.every((s) => s === "telegram")) return [];
  return [
    t("stats-sources", { sources: doors.map((s) => t("stats-source", { source: t(`source-${s}`), count: bySource[s] })).join(t("report-sep")) }),
  ];
}

/** /stats: the period's figures, for the county or one region or sector. */
export function renderStats(t: Translate, locale: Locale, timeZone: string, report: StatsReport): string {
  const f = report.figures;
  const kinds = CASE_KINDS.filter((k) => f.byKind[k] > 0).map((k) => t("stats-kind", { kind: k, count: f.byKind[k] }));
  const lines = [
    t("stats-title", { period: periodLabel(t, timeZone, report.period) }),
    t("stats-area", { area: report.area ? localName(locale, report.area) : t("stats-area-all") }),
    kinds.length > 0 ? t("stats-received", { count: f.receivedAll, kinds: kinds.join(t("report-sep")) }) : t("stats-received-none"),
    ...bySourceLine(t, f.bySource),
    t("stats-closed", { count: f.closed }),
    t("stats-open", { open: f.openNow, overdue: f.overdueNow }),
    t("stats-accepted", { rate: rateWithCounts(t, f.acceptedOnTime) }),
    t("stats-on-time", { rate: rateWithCounts(t, f.resolvedOnTime) }),
    t("stats-hours", { hours: hours(t, f.avgHandlingHours) }),
    t("stats-satisfaction", { rating: rating(t, f.satisfaction) }),
    t("stats-reopened", { count: f.reopened }),
    "",
    t("stats-note"),
  ];
  return fitMessage(lines.join("\n"), MAX_MESSAGE);
}

/** The caption under the digest's trend chart: the period's figures and the three most overdue cases. */
export function renderDigestCaption(t: Translate, locale: Locale, report: DigestReport): string {
  const f = report.figures;
  const { first, last, days } = f.period;
  const lines = [
    t("digest-title", { period: days === 1 ? last : t("digest-period", { first, last }) }),
    t("digest-day", { days, opened: f.opened, closed: f.closed, newlyOverdue: f.newlyOverdue }),
    t("digest-now", { overdue: f.overdueNow, supervised: f.supervisedOpen }),
  ];
  if (f.worstOverdue.length === 0) {
    lines.push(t("digest-worst-none"));
  } else {
    lines.push(t("digest-worst-title"));
    for (const c of f.worstOverdue) {
      lines.push(
        t("digest-worst", { number: c.number, unit: clip(unitName(locale, report.units, c.unitId), DIGEST_UNIT_CHARS), days: c.daysOverdue }),
      );
    }
  }
  return fitMessage(lines.join("\n"), MAX_CAPTION);
}
