/**
 * The backups' names and how many are kept: pure rules, shared by the backup command, the
 * nightly backup and their tests. A backup is a folder named by the UTC minute and second it
 * was taken (`hazardline-2026-12-05T213005Z`), so that names sort by time and say it.
 */

const DAY_MS = 86_400_000;

export interface BackupKeep {
  /** The newest backup of each of this many most recent days that have one. */
  daily: number;
  /** The newest backup of each of this many most recent months that have one. */
  monthly: number;
}

export const DEFAULT_BACKUP_KEEP: BackupKeep = { daily: 14, monthly: 12 };

const NAME = /^hazardline-(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The folder name of a backup taken at `atMs`. */
export function backupName(atMs: number): string {
  const iso = new Date(atMs).toISOString();
  return `hazardline-${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/** When the backup of this folder name was taken, or null for a name that is not a complete backup's. */
export function backupTakenAt(name: string): number | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const at = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(at) ? null : at;
}

/** `BACKUP_KEEP`: "DAILY,MONTHLY", e.g. "14,12"; at least one daily. Null when it is not that. */
export function parseBackupKeep(raw: string): BackupKeep | null {
  const m = /^\s*(\d{1,4})\s*,\s*(\d{1,4})\s*$/.exec(raw);
  if (!m) return null;
  const keep = { daily: Number(m[1]), monthly: Number(m[2]) };
  return keep.daily >= 1 ? keep : null;
}

/**
 * The reporter-identity period (the directory file's `retention: reporter_identity_days`,
 * three years when it says none) as it bears on backups: a backup taken more than `days` before `now` is deleted whatever
 * BACKUP_KEEP says. Every case closed when it was taken has lost its reporter in the database
 * since (the erasure job uses the same cutoff), so such a backup is the last place their
 * identities survive.
 */
export interface BackupRetention {
  now: number;
  reporterIdentityDays: number;
}

/**
 * Which of these backup folders to delete: every one that is neither the newest of one of the
 * `daily` most recent days with a backup, nor the newest of one of the `monthly` most recent
 * months with one (days and months in UTC, as the names are); and, with `retention`, every one
 * taken before its cutoff, with no exception (not even the newest: the law's period is not the
 * office's to trade for one more copy). Names that are not backups' are never returned; newest
 * first. Without `retention`, the newest backup is always kept.
 */
export function backupsToPrune(names: readonly string[], keep: BackupKeep, retention?: BackupRetention): string[] {
  const dated = names
    .map((name) => ({ name, at: backupTakenAt(name) }))
    .filter((b): b is { name: string; at: number } => b.at !== null)
    .sort((a, b) => b.at - a.at);
  const kept = new Set<string>();
  const newestOf = (period: (at: number) => string, count: number) => {
    const seen = new Set<string>();
    for (const b of dated) {
      const p = period(b.at);
      if (seen.has(p)) continue;
      if (seen.size >= count) break;
      seen.add(p);
      kept.add(b.name);
    }
  };
  newestOf((at) => new Date(at).toISOString().slice(0, 10), keep.daily);
  newestOf((at) => new Date(at).toISOString().slice(0, 7), keep.monthly);
  // Strictly before, as the erasure job's `closed_at < cutoff`.
  const cutoff = retention === undefined ? Number.NEGATIVE_INFINITY : retention.now - retention.reporterIdentityDays * DAY_MS;
  return dated.filter((b) => !kept.has(b.name) || b.at < cutoff).map((b) => b.name);
}
