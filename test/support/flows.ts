/** The citizen's report flow as the e2e suites drive it, written once. */
import type { Conversation } from "./conversation";

export interface HazardReport {
  text: string;
  /** The button labels; default the example county's construction sector and first town. */
  sector?: string;
  town?: string;
  /** A phone number to report under one's name; anonymous without it. */
  phone?: string;
}

/** Reports a hazard step by step through the bot's buttons and returns its tracking number. */
export async function reportHazard(c: Conversation, r: HazardReport): Promise<string> {
  await fillHazardReport(c, r);
  const replies = await c.tap("提交");
  return /编号：(YH-\d{8}-\d{4})/.exec(replies[0]!)![1]!;
}

/** Goes through the report flow up to its summary, where the submit button waits. */
export async function fillHazardReport(c: Conversation, r: HazardReport): Promise<void> {
  await c.say("/report");
  await c.tap("安全隐患");
  await c.tap(r.sector ?? "建筑施工");
  await c.tap(r.town ?? "城关镇");
  await c.tap("跳过");
  await c.say(r.text);
  await c.tap("跳过");
  await c.tap("一般");
  if (r.phone !== undefined) {
    await c.tap("实名");
    await c.post(c.who.sharesContact(r.phone));
  } else {
    await c.tap("匿名");
  }
  await c.tap("不需要");
}

/** Asks the office a question (/ask) under "other", without photos, anonymously, and returns its tracking number. */
export async function askQuestion(c: Conversation, text: string): Promise<string> {
  await c.say("/ask");
  await c.tap("其他");
  await c.say(text);
  await c.tap("跳过");
  await c.tap("匿名");
  return /(ZX-\d{8}-\d{4})/.exec((await c.tap("提交"))[0]!)![1]!;
}

/** A liaison resolves the case on their newest card: measures, the responsible person, one photo, done. */
export async function resolveWithPhoto(a: Conversation, r: { measures: string; responsible: string; photo: string }): Promise<void> {
  await a.tap("整改完成");
  await a.say(r.measures);
  await a.say(r.responsible);
  await a.post(a.who.sendsPhoto(r.photo));
  await a.tap("照片已传完");
}
