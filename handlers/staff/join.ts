/**
 * How staff come in: an admin makes a one-time invite link (/invite UNIT ROLES), the new
 * member opens it (/start inv_…) and gets the staff commands of their roles in their menu, and
 * an admin or dispatcher binds a group to a unit or purpose (/bind). Authority comes from the
 * database on every command.
 */
import { Composer } from "grammy";
import type { BotContext } from "../../src/bot/context";
import type { Role } from "../../src/domain/workflow";
import { INVITE_PREFIX, INVITE_TTL_MS, parseRoles } from "../../src/services/staff";
import { localName } from "../citizen/render";
import { refreshStaffMenu } from "./menu";

export const joinFeature = new Composer<BotContext>();
const privateChat = joinFeature.chatType("private");

const rolesText = (ctx: BotContext, roles: Role[]) => roles.map((r) => ctx.t(`role-${r}`)).join("、");

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
  await ctx.reply(
    ctx.t("staff-joined", { unit: joined.unit ? localName(ctx.locale, joined.unit) : joined.unitId, roles: rolesText(ctx, joined.roles) }),
  );
  // Their menu gains the staff commands of every role they now hold.
  await refreshStaffMenu(ctx, "joined");
});

privateChat.command("invite", async (ctx) => {
  const me = await ctx.services.staff.member(ctx.from.id);
  if (!me?.roles.includes("admin")) {
    await ctx.reply(ctx.t("not-allowed"));
    return;
  }
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
      roles: rolesText(ctx, roles),
    }),
  );
});

joinFeature.chatType(["group", "supergroup"]).command("bind", async (ctx) => {
  if (!(await ctx.services.staff.hasRole(ctx.from.id, "admin", "dispatcher"))) {
    await ctx.reply(ctx.t("not-allowed"));
    return;
  }
  const [purpose, unitId] = ctx.match.trim().split(/\s+/, 2);
  if (purpose !== "unit" && purpose !== "dispatchers" && purpose !== "leaders") {
    await ctx.reply(ctx.t("bind-usage"));
    return;
  }
  const bound = await ctx.services.staff.bind({ chatId: ctx.chat.id, title: ctx.chat.title }, purpose, unitId ?? null);
  if (!bound) {
    await ctx.reply(ctx.t("bind-usage"));
    return;
  }
  await ctx.reply(ctx.t("bind-done", { purpose: ctx.t(`purpose-${purpose}`, { unit: unitId ?? "" }) }));
});

// The bot added to or removed from a group, or blocked and unblocked by a person: the
// outbox stops writing where it cannot, and starts again when it can.
joinFeature.on("my_chat_member", async (ctx) => {
  const status = ctx.myChatMember.new_chat_member.status;
  await ctx.services.outbox.setReachable(ctx.chat.id, status !== "left" && status !== "kicked", ctx.services.clock.now());
});
