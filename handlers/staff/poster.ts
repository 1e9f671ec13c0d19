/**
 * /poster TOWN [SECTOR]: a QR poster for the public web report form, for dispatchers and
 * admins in their private chat. Sends the code alone as a PNG and the A4 poster as an SVG,
 * both as documents: Telegram would recompress a photo to JPEG, which blurs a code's edges.
 * Without a town it lists the towns and sectors to choose from. The files come from the
 * poster service, the same one `npm run poster` uses.
 */
import { Composer, InputFile } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { clip } from "../../src/services/case-cards";
import { localName } from "../citizen/render";
import { asStaff } from "../commands";

export const posterFeature = new Composer<BotContext>();

/** How much of a name that is not in the directory is quoted back. */
const QUOTED_INPUT_CHARS = 40;

posterFeature.chatType("private").command(
  "poster",
  asStaff("poster", async (ctx) => {
    const { posters } = ctx.services;
    const input = ctx.match.trim();
    if (input === "") {
      const { towns, sectors } = await posters.choices();
      const list = (rows: { id: string; nameZh: string; nameEn: string }[]) =>
        rows.map((r) => `${r.id} — ${localName(ctx.locale, r)}`).join("\n") || "—";
      await ctx.reply(ctx.t("poster-usage", { towns: list(towns), sectors: list(sectors) }));
      return;
    }

    // All of it a town first (an English name has spaces), else the last word a sector and the rest the town.
    const words = input.split(/\s+/);
    let made = await posters.make({ region: words.join(" ") });
    if (!made.ok && made.code === "POSTER.UNKNOWN_REGION" && words.length > 1) {
      made = await posters.make({ region: words.slice(0, -1).join(" "), sector: words.at(-1)! });
    }
    if (!made.ok) {
      const quoted = (text: string) => clip(text, QUOTED_INPUT_CHARS);
      const answer =
        made.code === "POSTER.NO_SITE_URL"
          ? ctx.t("poster-no-address")
          : made.code === "POSTER.UNKNOWN_SECTOR"
            ? ctx.t("poster-unknown-sector", { input: quoted(words.at(-1)!) })
            : ctx.t("poster-unknown-region", { input: quoted(input) });
      await ctx.reply(answer);
      return;
    }

    const place = [made.region, made.sector].flatMap((row) => (row ? [localName(ctx.locale, row)] : [])).join(" · ");
    const caption = ctx.t("poster-caption", { place, url: made.url });
    await ctx.replyWithChatAction("upload_document").catch(() => undefined);
    for (const file of made.files) await ctx.replyWithDocument(new InputFile(file.bytes, file.filename), { caption });
  }),
);
