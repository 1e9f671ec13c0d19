/** Roles as an office writes them in an invite: English ids or the Chinese names the bot itself shows. */
import { describe, expect, it } from "vitest";
import { ROLES } from "../../src/domain/workflow";
import { translator } from "../../src/i18n";
import { parseRoles } from "../../src/services/staff";

describe("parseRoles", () => {
  it("takes English ids and Chinese names, separated by either comma, 、 or spaces, once each", () => {
    expect(parseRoles("liaison")).toEqual(["liaison"]);
    expect(parseRoles("Admin,dispatcher")).toEqual(["admin", "dispatcher"]);
    expect(parseRoles("管理员、调度员")).toEqual(["admin", "dispatcher"]);
    expect(parseRoles("联络员，领导 liaison")).toEqual(["liaison", "leader"]);
  });

  it("refuses the whole list when any role is unknown, and an empty one", () => {
    expect(parseRoles("liaison,boss")).toBeNull();
    expect(parseRoles("局长")).toBeNull();
    expect(parseRoles(" , ")).toBeNull();
  });

  it("knows each role by the very name the bot shows for it", () => {
    const zh = translator("zh-CN");
    for (const role of ROLES) expect(parseRoles(zh(`role-${role}`))).toEqual([role]);
    expect(parseRoles("Administrator")).toEqual(["admin"]);
  });
});
