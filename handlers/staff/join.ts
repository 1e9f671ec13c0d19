/**
 * How staff come in: an admin makes a one-time invite link (/invite UNIT ROLES), the new
 * member opens it (/start inv_…) and gets the staff commands of their roles in their menu, and
 * an admin or dispatcher binds a group to a unit or purpose (/bind). Authority comes from the
 * database on every command.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { BIND } from "../../src/domain/buttons";
import { joinedText, rolesText } from "../../src/services/command-menus";
import { BIND_PURPOSES, type BindPurpose, INVITE_PREFIX, INVITE_TTL_MS, parseRoles } from "../../src/services/staff";
import { localName } from "../citizen/render";
import { asStaff } from "../commands";
import { refreshStaffMenu } from "./menu";
import { replyInParts } from "./replies";

const UNIT_KINDS = ["office", "territorial", "sectoral"] as const;

export const joinFeature = new Composer<BotContext>();
const privateChat = joinFeature.chatType("private");

privateChat.command("start", async (ctx, next) => {
  const payload = ctx.match.trim();
  if (!payload.startsWith(INVITE_PREFIX)) return next();
  const name = [ctx.from.first_name, ctx.from.last_name].filter(Boolean).join(" ");
  const joined = await ctx.services.staff.redeem(payload, ctx.from.id, name);
  if (!joined.ok) {
    await ctx.reply(ctx.t(`invite-${joined.problem === "valid" ? "unknown" : joined.problem}`));
    return;
  }
  await ctx.services.users.greet(ctx.from.id, ctx.locale);
  await ctx.reply(joinedText(ctx.t, joined.unit ? localName(ctx.locale, joined.unit) : joined.unitId, joined.roles));
  // Their menu gains the staff commands of every role they now hold.
  await refreshStaffMenu(ctx, "joined");
});

privateChat.command(
  "invite",
  asStaff("invite", async (ctx, me) => {
    // The roles come last; the unit before them is an id or a name, which may hold spaces.
    const words = ctx.match.trim().split(/\s+/).filter(Boolean);
    const rolesArg = words.length > 1 ? words.pop() : undefined;
    const unitRef = words.join(" ");
    const roles = rolesArg ? parseRoles(rolesArg) : null;
    if (!unitRef || !roles) {
      await ctx.reply(ctx.t("invite-usage"));
      return;
    }
    const invite = await ctx.services.staff.createInvite(unitRef, roles, me.memberId);
    if (!invite.ok) {
      await ctx.reply(ctx.t("invite-unknown-unit", { unit: unitRef }));
      return;
    }
    await ctx.reply(
      ctx.t("invite-created", {
        link: `https://t.me/${ctx.me.username}?start=${invite.code}`,
        days: INVITE_TTL_MS / (24 * 60 * 60_000),
        unit: localName(ctx.locale, invite.unit),
        roles: rolesText(ctx.t, roles),
      }),
    );
  }),
);

// The units with their ids, by kind: what /bind unit, /invite and the directory file name.
privateChat.command(
  "units",
  asStaff("units", async (ctx) => {
    const units = await ctx.services.staff.units();
    if (units.length === 0) {
      await ctx.reply(ctx.t("units-empty"));
      return;
    }
    const lines = [ctx.t("units-title", { count: units.length })];
    for (const kind of UNIT_KINDS) {
      const ofKind = units.filter((u) => u.kind === kind);
      if (ofKind.length === 0) continue;
      lines.push("", ctx.t(`units-kind-${kind}`), ...ofKind.map((u) => ctx.t("units-line", { name: localName(ctx.locale, u), id: u.id })));
    }
    await replyInParts(ctx, lines.join("\n"));
  }),
);

// ── Binding a group ──────────────────────────────────────────────────────────────────────

/** Telegram shows at most 100 buttons under a message; past that, /bind unit NAME. */
const MAX_UNIT_BUTTONS = 96;

async function bindKeyboard(ctx: BotContext): Promise<InlineKeyboard> {
  const keyboard = new InlineKeyboard()
    .text(ctx.t("purpose-dispatchers"), BIND.encode({ purpose: "dispatchers" }))
    .text(ctx.t("purpose-leaders"), BIND.encode({ purpose: "leaders" }))
    .row();
  const units = (await ctx.services.staff.units()).slice(0, MAX_UNIT_BUTTONS);
  units.forEach((u, i) => {
    keyboard.text(localName(ctx.locale, u), BIND.encode({ purpose: "unit", unitId: u.id }));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard;
}

/** Binds the group the update came from and says what it now is, naming the unit. */
async function bindHere(ctx: BotContext, purpose: BindPurpose, unitRef: string | null): Promise<string> {
  const chat = ctx.chat!;
  const title = ("title" in chat && chat.title) || "";
  const bound = await ctx.services.staff.bind({ chatId: chat.id, title }, purpose, unitRef);
  if (!bound) return ctx.t("bind-unknown-unit", { unit: unitRef ?? "" });
  return ctx.t("bind-done", { purpose: ctx.t(`purpose-${purpose}`, { unit: bound.unit ? localName(ctx.locale, bound.unit) : "" }) });
}

const groupChat = joinFeature.chatType(["group", "supergroup"]);

// "/bind" offers the choices as buttons; "/bind unit NAME-OR-ID", "/bind dispatchers" and "/bind leaders" bind at once.
groupChat.command(
  "bind",
  asStaff("bind", async (ctx) => {
    const [purpose, ...rest] = ctx.match.trim().split(/\s+/).filter(Boolean);
    const unitRef = rest.join(" ");
    if (purpose === undefined) {
      await ctx.reply(ctx.t("bind-choose"), { reply_markup: await bindKeyboard(ctx) });
      return;
    }
    const known = BIND_PURPOSES.find((p) => p === purpose.toLowerCase());
    if (!known || (known === "unit") !== (unitRef !== "")) {
      await ctx.reply(ctx.t("bind-usage"));
      return;
    }
    await ctx.reply(await bindHere(ctx, known, known === "unit" ? unitRef : null));
  }),
);

groupChat.callbackQuery(
  BIND.pattern,
  asStaff("bind", async (ctx) => {
    const choice = BIND.decode(ctx.callbackQuery.data);
    if (!choice) {
      await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
      return;
    }
    const done = await bindHere(ctx, choice.purpose, choice.purpose === "unit" ? choice.unitId : null);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(done).catch(() => ctx.reply(done));
  }),
);

// The bot added to or removed from a group, or blocked and unblocked by a person: the
// outbox stops writing where it cannot, and starts again when it can.
joinFeature.on("my_chat_member", async (ctx) => {
  const status = ctx.myChatMember.new_chat_member.status;
  await ctx.services.outbox.setReachable(ctx.chat.id, status !== "left" && status !== "kicked", ctx.services.clock.now());
});
