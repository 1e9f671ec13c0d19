/**
 * The public site's pages, written on the server with hono/html, whose template escapes every
 * value put into it: a description, an address or a name typed by anyone is shown as text,
 * never read as markup. Every word comes from the locale files (keys `web-*`, and the chat's
 * own names of kinds, statuses and problems). No inline script or style (the site's CSP
 * forbids both); the pages work without their script.
 */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Locale } from "../domain/locale";
import { formatOfficeTime } from "../domain/office-time";
import { MAX_MEDIA } from "../domain/report-draft";
import { REPORT_FIELDS as F, WEB_KINDS } from "../domain/web-report";
import { type Translate, translator } from "../i18n";
import { timelineText } from "../services/case-cards";
import type { CaseStatus } from "../services/citizen-cases";

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

/** A site page's frame: its language, the shared style sheet, and a link to the other language. */
export function layout(locale: Locale, title: string, body: Page, opts: { scripts?: string[]; path?: string } = {}): Page {
  const t = translator(locale);
  const other: Locale = locale === "en" ? "zh-CN" : "en";
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/site/site.css">
${(opts.scripts ?? []).map((s) => html`<script src="/site/${s}" defer></script>`)}
</head>
<body>
<header><strong>${t("web-site-name")}</strong> <a class="lang" href="?lang=${other}">${t("web-other-language")}</a></header>
<main>
${body}
</main>
<footer><a href="/report?lang=${locale}">${t("web-nav-report")}</a> · <a href="/status?lang=${locale}">${t("web-nav-status")}</a></footer>
</body>
</html>`;
}

export interface FormView {
  locale: Locale;
  sectors: Array<{ id: string; name: string }>;
  towns: Array<{ id: string; name: string }>;
  values: {
    submission?: string;
    kind?: string;
    sector?: string;
    region?: string;
    lat?: string;
    lng?: string;
    address?: string;
    description?: string;
    urgent?: boolean;
    identity?: "anonymous" | "named";
    name?: string;
    phone?: string;
    reward?: boolean;
  };
  /** What keeps the post from being taken, in words; shown above the form. */
  problems: string[];
  submission: string;
}

const checked = (on: boolean) => (on ? raw(" checked") : "");
const selected = (on: boolean) => (on ? raw(" selected") : "");

function radio(name: string, value: string, label: string, on: boolean, required = true) {
  return html`<label class="choice"><input type="radio" name="${name}" value="${value}"${checked(on)}${required ? raw(" required") : ""}> ${label}</label>`;
}

export function formPage(view: FormView): Page {
  const t = translator(view.locale);
  const v = view.values;
  const body = html`<h1>${t("web-report-title")}</h1>
<p class="lead">${t("web-report-lead")}</p>
${
  view.problems.length > 0
    ? html`<div class="problems" role="alert"><p>${t("problems-title")}</p><ul>${view.problems.map((p) => html`<li>${p}</li>`)}</ul></div>`
    : ""
}
<form id="report" method="post" action="/report?lang=${view.locale}" enctype="multipart/form-data" data-lang="${view.locale}" data-strings="${scriptStrings(t)}">
<input type="hidden" name="${F.submission}" value="${view.submission}">
<div class="trap" aria-hidden="true"><label>${t("web-trap")} <input name="${F.honeypot}" tabindex="-1" autocomplete="off"></label></div>
<fieldset><legend>${t("ask-kind")}</legend>
${WEB_KINDS.map((k) => radio(F.kind, k, t(`kind-${k}`), v.kind === k))}
</fieldset>
<label>${t("ask-sector")}
<select name="${F.sector}" required>
<option value="">${t("web-choose")}</option>
${view.sectors.map((s) => html`<option value="${s.id}"${selected(v.sector === s.id)}>${s.name}</option>`)}
</select></label>
<label>${t("web-town")}
<select name="${F.region}" id="region">
<option value="">${t("web-choose")}</option>
${view.towns.map((r) => html`<option value="${r.id}"${selected(v.region === r.id)}>${r.name}</option>`)}
</select></label>
<div id="map-box" class="map-box" hidden><p class="hint">${t("web-map-hint")}</p><div id="map"></div>
<button type="button" id="locate">${t("web-use-location")}</button> <span id="pin-status" class="hint"></span></div>
<input type="hidden" name="${F.lat}" id="lat" value="${v.lat ?? ""}">
<input type="hidden" name="${F.lng}" id="lng" value="${v.lng ?? ""}">
<label>${t("field-address")}
<input name="${F.address}" maxlength="200" value="${v.address ?? ""}" placeholder="${t("web-address-placeholder")}"></label>
<label>${t("field-description")}
<textarea name="${F.description}" rows="6" minlength="10" maxlength="4096" required placeholder="${t("web-description-placeholder")}">${v.description ?? ""}</textarea></label>
<label>${t("web-photos", { max: MAX_MEDIA })}
<input type="file" name="${F.photos}" id="photos" accept="image/jpeg,image/png,image/webp" multiple></label>
<p class="hint" id="photos-status"></p>
<fieldset class="report-only"><legend>${t("ask-urgency")}</legend>
${radio(F.urgent, "yes", t("urgency-urgent"), v.urgent === true, false)}
${radio(F.urgent, "no", t("urgency-ordinary"), v.urgent === false, false)}
</fieldset>
<fieldset><legend>${t("web-identity")}</legend>
${radio(F.identity, "anonymous", t("identity-anonymous"), v.identity === "anonymous")}
${radio(F.identity, "named", t("identity-named"), v.identity === "named")}
<p class="hint">${t("web-identity-hint")}</p>
<label>${t("web-name")} <input name="${F.name}" maxlength="50" autocomplete="name" value="${v.name ?? ""}"></label>
<label>${t("web-phone")} <input name="${F.phone}" type="tel" maxlength="20" autocomplete="tel" value="${v.phone ?? ""}"></label>
</fieldset>
<label class="choice report-only"><input type="checkbox" name="${F.reward}" value="yes"${checked(v.reward === true)}> ${t("ask-reward")}</label>
<button type="submit" class="primary">${t("btn-submit")}</button>
</form>`;
  return layout(view.locale, t("web-report-title"), body, { scripts: ["county-map.js", "report.js"] });
}

/** The words the form's script shows, handed over in an attribute (the CSP allows no inline script). */
const scriptStrings = (t: Translate) =>
  JSON.stringify({
    pin: t("web-js-pin"),
    locating: t("web-js-locating"),
    locateFailed: t("web-js-locate-failed"),
    photos: t("web-js-photos", { count: "{count}", kb: "{kb}" }),
    tooMany: t("web-js-photos-too-many", { max: MAX_MEDIA }),
  });

export function resultPage(locale: Locale, r: { number: string; claimCode?: string; kind: string; again?: boolean }): Page {
  const t = translator(locale);
  const body = html`<h1>${r.again ? t("web-already-title") : t("web-received-title")}</h1>
<p>${t("web-number", { kind: r.kind === "consultation" ? "consultation" : "other" })}</p>
<p class="number" id="case-number">${r.number}</p>
${
  r.claimCode
    ? html`<div class="claim"><p>${t("web-claim-code")}</p><p class="number" id="claim-code">${r.claimCode}</p><p>${t("web-claim-keep")}</p></div>`
    : html`<p>${t("web-follow-named")}</p>`
}
<p><a href="/status?lang=${locale}&amp;number=${encodeURIComponent(r.number)}">${t("web-nav-status")}</a></p>`;
  return layout(locale, t("web-received-title"), body);
}

export function statusPage(locale: Locale, s: { number: string; problem?: string; found?: CaseStatus; officeTz?: string }): Page {
  const t = translator(locale);
  const body = html`<h1>${t("web-status-title")}</h1>
${s.problem ? html`<p class="problems" role="alert">${t(s.problem)}</p>` : ""}
${s.found ? statusCard(t, locale, s.found, s.officeTz ?? "UTC") : ""}
<form method="post" action="/status?lang=${locale}">
<label>${t("web-status-number")} <input name="number" required maxlength="40" value="${s.number}" autocomplete="off"></label>
<label>${t("web-status-proof")} <input name="proof" required maxlength="40" autocomplete="off"></label>
<p class="hint">${t("web-status-hint")}</p>
<button type="submit" class="primary">${t("web-status-look")}</button>
</form>`;
  return layout(locale, t("web-status-title"), body);
}

function statusCard(t: Translate, locale: Locale, { case: c, timeline, units }: CaseStatus, officeTz: string) {
  return html`<section class="card" id="status-card">
<p>${t("status-card", { number: c.number, kind: t(`kind-${c.kind}`), status: t(`status-${c.status}`) })}</p>
${timelineList(t, locale, { timeline, units }, officeTz)}
</section>`;
}

/** A case's public steps, oldest first, with the office's words to the reporter where the timeline carries them. */
export function timelineList(t: Translate, locale: Locale, { timeline, units }: Pick<CaseStatus, "timeline" | "units">, officeTz: string) {
  return html`<ol class="timeline">
${timeline.map(
  (entry) =>
    html`<li><time>${formatOfficeTime(entry.at, officeTz)}</time> ${timelineText(t, locale, entry, entry.unitId ? units.get(entry.unitId) : undefined)}${
      entry.words ? html`<blockquote>${entry.words}</blockquote>` : ""
    }</li>`,
)}
</ol>`;
}

/** A page that only says one thing: a refusal, a limit, a failure. */
export function messagePage(locale: Locale, key: string, args: Record<string, string | number> = {}): Page {
  const t = translator(locale);
  return layout(
    locale,
    t("web-site-name"),
    html`<p class="problems" role="alert">${t(key, args)}</p><p><a href="/report?lang=${locale}">${t("web-nav-report")}</a></p>`,
  );
}
