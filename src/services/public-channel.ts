/**
 * Information made public: a dispatcher posts a case listed for supervision (see
 * docs/glossary.md) to the office's public channel, and its closure when it is closed. A post holds
 * what the office may publish — number, sector, place, responsible unit, deadline, the
 * hazard as described, clipped, with any phone or ID number in it masked — and nothing about
 * who reported it: its query (db/queries/public.ts) never reads the reporter.
 *
 * Each post is an outbox row with a dedupe key per case and kind, so asking twice posts
 * once; the closure follows by itself when a case whose listing was posted is closed.
 */
import { and, eq, inArray, like } from "drizzle-orm";
import type { Db, Executor } from "../../db/client";
import { publicCase } from "../../db/queries/public";
import { chatsFor } from "../../db/queries/staff";
import { outbox } from "../../db/schema";
import { DEFAULT_LOCALE, localName } from "../domain/locale";
import { formatOfficeTime } from "../domain/office-time";
import { maskPersonalData } from "../domain/redact";
import { translator } from "../i18n";
import { clip } from "./case-cards";
import type { Clock } from "./clock";
import { enqueue } from "./outbox";

export type PublicPostKind = "listed" | "closed";
/** How much of a hazard's description is published (the channel, the public page, Open311). */
const PUBLIC_DESCRIPTION_CHARS = 300;
/** A case's description as it may be published (the channel, the public page, Open311): clipped, phone and ID numbers masked. */
export const publicDescription = (description: string) => maskPersonalData(clip(description, PUBLIC_DESCRIPTION_CHARS));
const postKey = (caseId: number, kind: PublicPostKind) => `public:${caseId}:${kind}`;
/** The first channel's row of a post marks the case as posted. */
const firstKey = (caseId: number, kind: PublicPostKind) => `${postKey(caseId, kind)}:first`;

export type PublishCheck =
  | { ok: true; kind: PublicPostKind; text: string }
  | { ok: false; problem: "not-found" | "not-listed" | "no-channel" | "already" };

export function publicChannelService(deps: { db: Db; clock: Clock; officeTz: string }) {
  const { db, clock, officeTz } = deps;

  /** What would be posted for a case now, or why nothing can be. */
  async function check(ex: Executor, caseId: number): Promise<PublishCheck> {
    const row = await publicCase(ex, caseId);
    if (!row) return { ok: false, problem: "not-found" };
    if (row.supervision !== "listed") return { ok: false, problem: "not-listed" };
    if ((await chatsFor(ex, "public")).length === 0) return { ok: false, problem: "no-channel" };
    const kind: PublicPostKind = row.status === "closed" ? "closed" : "listed";
    // A post that went out, or is on its way, counts; one that died may be tried again.
    const [posted] = await ex
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.dedupeKey, firstKey(caseId, kind)), inArray(outbox.status, ["pending", "sending", "sent"])));
    if (posted) return { ok: false, problem: "already" };
    const t = translator(DEFAULT_LOCALE);
    const name = (r: { nameZh: string | null; nameEn: string | null } | null) =>
      r?.nameZh ? localName(DEFAULT_LOCALE, r as { nameZh: string; nameEn: string }) : "—";
    const text = t(kind === "listed" ? "public-listed" : "public-closed", {
      number: row.number,
      sector: name(row.sector),
      region: name(row.region),
      unit: name(row.unit),
      due: row.dueAt === null ? "—" : formatOfficeTime(row.dueAt, officeTz),
      closed: formatOfficeTime(row.closedAt ?? row.updatedAt, officeTz),
      description: publicDescription(row.description),
    });
    return { ok: true, kind, text };
  }

  /** Queues the post to every public channel; the first channel's row marks the case as posted. */
  async function post(ex: Executor, caseId: number, kind: PublicPostKind, text: string) {
    const channels = await chatsFor(ex, "public");
    // A post that died (the channel refused it) is posted afresh: its dedupe keys are freed.
    await ex.delete(outbox).where(and(like(outbox.dedupeKey, `${postKey(caseId, kind)}:%`), eq(outbox.status, "dead")));
    await enqueue(
      ex,
      channels.map((c, i) => ({
        chatId: c.chatId,
        method: "sendMessage" as const,
        payload: { text },
        dedupeKey: i === 0 ? firstKey(caseId, kind) : `${postKey(caseId, kind)}:${c.chatId}`,
      })),
      clock.now(),
    );
  }

  return {
    /** The post a dispatcher is shown before confirming. */
    preview: (caseId: number) => check(db, caseId),

    /** Posts what `preview` showed, if it still holds (the case may have moved on since). */
    async publish(caseId: number, kind: PublicPostKind): Promise<PublishCheck> {
      return db.transaction(async (tx) => {
        const now = await check(tx, caseId);
        if (!now.ok) return now;
        if (now.kind !== kind) return { ok: false, problem: "already" };
        await post(tx, caseId, kind, now.text);
        return now;
      });
    },

    /**
     * Called in the transaction that closes a case: when its listing was posted, its
     * closure is posted too.
     */
    async followClosure(ex: Executor, caseId: number) {
      const [listed] = await ex
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.dedupeKey, firstKey(caseId, "listed")), inArray(outbox.status, ["pending", "sending", "sent"])));
      if (!listed) return;
      const now = await check(ex, caseId);
      if (now.ok && now.kind === "closed") await post(ex, caseId, "closed", now.text);
    },
  };
}

export type PublicChannelService = ReturnType<typeof publicChannelService>;
