/**
 * The web report form (/report) read into the same draft the chat builds step by step: one
 * table of field names that the page, the server and the tests all use, and the pure reading
 * of what a browser posted. What the form cannot tell (a photo's bytes) is the caller's.
 * Nothing a browser sends is trusted: a kind, sector or town not offered is as if not given,
 * and the whole-draft check (validateDraft) then names what is missing.
 */
import { isValidLatLng, type LatLng } from "./geo";
import { cleanText, type Draft, MAX_ADDRESS, MAX_DESCRIPTION, MAX_NAME, parsePhone, type ReportKind } from "./report-draft";

/** The form's field names, as the page writes them and the server reads them. */
export const REPORT_FIELDS = {
  /** A random id written into the page: posting the same page twice makes one case. */
  submission: "submission",
  /** Hidden from people (off-screen, not announced); a bot that fills every field fills it. */
  honeypot: "website",
  kind: "kind",
  sector: "sector",
  region: "region",
  lat: "lat",
  lng: "lng",
  address: "address",
  description: "description",
  photos: "photos",
  urgent: "urgent",
  identity: "identity",
  name: "name",
  phone: "phone",
  reward: "reward",
} as const;

/** The kinds the public form offers (a task comes only from staff). */
export const WEB_KINDS = ["hazard", "violation", "consultation"] as const satisfies readonly ReportKind[];

/** The form's own problems beyond the draft's: a phone that is not one. */
export type FormProblem = "phone-invalid";

export interface ReadForm {
  draft: Draft;
  /** The name typed for a named report (the chat takes Telegram's instead). */
  name?: string;
  problems: FormProblem[];
  /** The honeypot was filled: not a person. */
  bot: boolean;
}

const SUBMISSION_ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * The draft a posted form makes. `fields` are the form's text fields (the last value of each);
 * `known` the sectors and regions the office has, so an id not among them is dropped.
 */
export function readReportForm(
  fields: Readonly<Record<string, string | undefined>>,
  known: { sectorIds: ReadonlySet<string>; regionIds: ReadonlySet<string> },
  now: number,
  newId: () => string,
): ReadForm {
  const f = REPORT_FIELDS;
  const text = (name: string, max: number) => cleanText(fields[name], max);
  const kind = WEB_KINDS.find((k) => k === fields[f.kind]);
  const sectorId = fields[f.sector] && known.sectorIds.has(fields[f.sector]!) ? fields[f.sector] : undefined;
  const regionId = fields[f.region] && known.regionIds.has(fields[f.region]!) ? fields[f.region] : undefined;
  const identity = fields[f.identity];
  const anonymous = identity === "anonymous" ? true : identity === "named" ? false : undefined;
  const typedPhone = text(f.phone, 40);
  const phone = typedPhone === undefined ? undefined : (parsePhone(typedPhone) ?? undefined);
  const problems: FormProblem[] = typedPhone !== undefined && phone === undefined && anonymous === false ? ["phone-invalid"] : [];
  const submission = fields[f.submission];
  const draft: Draft = {
    id: submission && SUBMISSION_ID.test(submission) ? submission : newId(),
    flow: kind === "consultation" ? "ask" : "report",
    step: "summary",
    editing: false,
    kind,
    sectorId,
    regionId,
    location: readPoint(fields[f.lat], fields[f.lng]),
    address: text(f.address, MAX_ADDRESS),
    // Kept whole (up to one over the limit), so the draft's check says it is too long rather than cutting it.
    description: text(f.description, MAX_DESCRIPTION + 1),
    media: [],
    urgent: kind === "consultation" ? false : fields[f.urgent] === "yes" ? true : fields[f.urgent] === "no" ? false : undefined,
    anonymous,
    phone: anonymous === false ? phone : undefined,
    // A question carries no reward; an unticked box is a "no", as a form cannot say "not answered".
    reward: kind === "consultation" ? false : fields[f.reward] === "yes",
    startedAt: now,
  };
  return {
    draft,
    name: anonymous === false ? text(f.name, MAX_NAME) : undefined,
    problems,
    bot: (fields[f.honeypot] ?? "") !== "",
  };
}

function readPoint(lat: string | undefined, lng: string | undefined): LatLng | undefined {
  if (!lat || !lng) return undefined;
  const point = { lat: Number(lat), lng: Number(lng) };
  return isValidLatLng(point) ? point : undefined;
}
