/**
 * The backups' names and the keep rule (BACKUP_KEEP), with the reporter-identity period over
 * it: which dated folders the nightly backup deletes.
 */
import { describe, expect, it } from "vitest";
import { backupName, backupsToPrune, backupTakenAt, parseBackupKeep } from "../../src/domain/backups";
import { reporterIdentityDays } from "../../src/domain/office-settings";

const at = (iso: string) => Date.parse(iso);
/** One backup a night at 18:30 UTC (02:30 in Shanghai) for `days` nights ending on `last`. */
const nightly = (last: string, days: number) => Array.from({ length: days }, (_, i) => backupName(at(`${last}T18:30:00Z`) - i * 86_400_000));

describe("backup names", () => {
  it("say the UTC second they were taken, and read back to it", () => {
    expect(backupName(at("2026-12-05T21:30:05.123Z"))).toBe("hazardline-2026-12-05T213005Z");
    expect(backupTakenAt("hazardline-2026-12-05T213005Z")).toBe(at("2026-12-05T21:30:05Z"));
  });

  it("a partial backup, or any other folder, is not a backup", () => {
    expect(backupTakenAt("hazardline-2026-12-05T213005Z.partial")).toBeNull();
    expect(backupTakenAt("notes")).toBeNull();
    expect(backupTakenAt("hazardline-2026-13-45T213005Z")).toBeNull();
  });
});

describe("BACKUP_KEEP", () => {
  it("is DAILY,MONTHLY with at least one daily", () => {
    expect(parseBackupKeep("14,12")).toEqual({ daily: 14, monthly: 12 });
    expect(parseBackupKeep(" 7 , 0 ")).toEqual({ daily: 7, monthly: 0 });
    expect(parseBackupKeep("0,12")).toBeNull();
    expect(parseBackupKeep("14")).toBeNull();
    expect(parseBackupKeep("14 daily")).toBeNull();
  });
});

describe("which backups are pruned", () => {
  it("keeps the newest of each of the last 14 days and of each of the last 12 months", () => {
    const names = nightly("2026-12-05", 400);
    const kept = names.filter((n) => !backupsToPrune(names, { daily: 14, monthly: 12 }).includes(n));
    expect(kept.slice(0, 14)).toEqual(names.slice(0, 14));
    // December's and November's newest (5 December, 30 November) are among the dailies; then the last night of each earlier month.
    expect(kept.slice(14)).toEqual(
      [
        "2026-10-31",
        "2026-09-30",
        "2026-08-31",
        "2026-07-31",
        "2026-06-30",
        "2026-05-31",
        "2026-04-30",
        "2026-03-31",
        "2026-02-28",
        "2026-01-31",
      ].map((d) => backupName(at(`${d}T18:30:00Z`))),
    );
    expect(kept).toHaveLength(14 + 10);
  });

  it("of two backups in one day, only the newer counts as that day's", () => {
    const names = [backupName(at("2026-12-05T18:30:00Z")), backupName(at("2026-12-05T09:00:00Z")), backupName(at("2026-12-04T18:30:00Z"))];
    expect(backupsToPrune(names, { daily: 2, monthly: 0 })).toEqual([names[1]]);
  });

  it("never touches what is not a backup, and always keeps the newest", () => {
    const names = ["README.txt", "hazardline-2026-12-05T183000Z.partial", ...nightly("2026-12-05", 3)];
    expect(backupsToPrune(names, { daily: 1, monthly: 0 })).toEqual(nightly("2026-12-05", 3).slice(1));
  });

  it("a gap of nights without a backup does not cost the older dailies", () => {
    const names = [...nightly("2026-12-05", 2), ...nightly("2026-11-20", 2)];
    expect(backupsToPrune(names, { daily: 4, monthly: 0 })).toEqual([]);
  });
});

describe("the reporter-identity period", () => {
  const NOW = at("2026-12-05T18:30:00Z");
  const names = nightly("2026-12-05", 400);

  it("deletes every backup taken longer ago than the period, however many months BACKUP_KEEP keeps", () => {
    const pruned = backupsToPrune(names, { daily: 14, monthly: 12 }, { now: NOW, reporterIdentityDays: 90 });
    const kept = names.filter((n) => !pruned.includes(n));
    expect(kept.slice(0, 14)).toEqual(names.slice(0, 14));
    // Of the monthlies only those within 90 days (after 6 September 18:30) stay.
    expect(kept.slice(14)).toEqual(["2026-10-31", "2026-09-30"].map((d) => backupName(at(`${d}T18:30:00Z`))));
    expect(pruned).toContain(backupName(at("2026-08-31T18:30:00Z")));
  });

  it("cuts at exactly the period, as the erasure job does: a backup taken at the cutoff stays, one a second before goes", () => {
    const cutoff = NOW - 30 * 86_400_000;
    const edge = [backupName(NOW), backupName(cutoff), backupName(cutoff - 1000)];
    expect(backupsToPrune(edge, { daily: 14, monthly: 12 }, { now: NOW, reporterIdentityDays: 30 })).toEqual([edge[2]]);
  });

  it("outranks the daily count too, and spares not even the newest backup once it is past the period", () => {
    // Tonight's and the three before it: the oldest of them was taken at the cutoff itself.
    expect(backupsToPrune(names, { daily: 14, monthly: 0 }, { now: NOW, reporterIdentityDays: 3 })).toEqual(names.slice(4));
    const stale = nightly("2023-01-01", 2);
    expect(backupsToPrune(stale, { daily: 14, monthly: 12 }, { now: NOW, reporterIdentityDays: 1095 })).toEqual(stale);
  });

  it("is three years when the directory file gives none", () => {
    const days = reporterIdentityDays({});
    expect(days).toBe(1095);
    const threeYears = [backupName(NOW - 1095 * 86_400_000), backupName(NOW - 1095 * 86_400_000 - 1000)];
    expect(backupsToPrune(threeYears, { daily: 14, monthly: 12 }, { now: NOW, reporterIdentityDays: days })).toEqual([threeYears[1]]);
  });

  it("never touches what is not a backup", () => {
    const odd = ["README.txt", "hazardline-2020-01-01T000000Z.partial", backupName(at("2020-01-01T00:00:00Z"))];
    expect(backupsToPrune(odd, { daily: 14, monthly: 12 }, { now: NOW, reporterIdentityDays: 1 })).toEqual([odd[2]]);
  });
});
