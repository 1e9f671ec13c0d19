/**
 * The public page's HTML (/public and /public/:number), written with hono/html like the
 * site's other pages (pages.ts, whose frame it shares): every value is escaped, so a
 * description typed by anyone shows as text. It shows what public-cases.ts hands it and
 * nothing else: no reporter, no words addressed to one.
 */
import { html, raw } from "hono/html";
import { type Locale, localName } from "../domain/locale";
import { formatOfficeTime } from "../domain/office-time";
import { type Translate, translator } from "../i18n";
import type { PublicCase, PublicCaseDetail } from "../services/public-cases";
import { layout, timelineList } from "./pages";

type Named = { nameZh: string; nameEn: string } | null;

export interface PublicListView {
  locale: Locale;
  officeTz: string;
  cases: PublicCase[];
  /** True when the list was cut at its limit. */
  more: boolean;
  limit: number;
  towns: Array<{ id: string; name: string }>;
  sectors: Array<{ id: string; name: string }>;
  chosen: { town?: string; sector?: string };
  map: ReturnType<typeof html> | "";
}

const selected = (on: boolean) => (on ? raw(" selected") : "");

export const publicCaseHref = (locale: Locale, number: string) => `/public/${encodeURIComponent(number)}?lang=${locale}`;

function facts(t: Translate, locale: Locale, officeTz: string, c: PublicCase) {
  const name = (r: Named) => (r ? localName(locale, r) : "—");
  const when = (at: number | null) => (at === null ? "—" : formatOfficeTime(at, officeTz));
  return html`<dl class="facts">
<dt>${t("public-page-sector")}</dt><dd>${name(c.sector)}</dd>
<dt>${t("public-page-town")}</dt><dd>${name(c.region)}</dd>
<dt>${t("public-page-unit")}</dt><dd>${name(c.unit)}</dd>
<dt>${t("public-page-status")}</dt><dd class="status-${c.status}">${t(`status-${c.status}`)}</dd>
<dt>${t("public-page-due")}</dt><dd>${when(c.dueAt)}</dd>
<dt>${t("public-page-closed")}</dt><dd>${when(c.closedAt)}</dd>
</dl>
<p class="description"><strong>${t("public-page-description")}:</strong> ${c.description}</p>`;
}

export function publicListPage(v: PublicListView) {
  const t = translator(v.locale);
  const options = (list: PublicListView["towns"], chosen: string | undefined) =>
    list.map((o) => html`<option value="${o.id}"${selected(chosen === o.id)}>${o.name}</option>`);
  const body = html`<h1>${t("public-page-title")}</h1>
<p class="lead">${t("public-page-lead")}</p>
<form method="get" action="/public" class="filters">
<input type="hidden" name="lang" value="${v.locale}">
<label>${t("public-page-town")}
<select name="town"><option value="">${t("public-page-all")}</option>${options(v.towns, v.chosen.town)}</select></label>
<label>${t("public-page-sector")}
<select name="sector"><option value="">${t("public-page-all")}</option>${options(v.sectors, v.chosen.sector)}</select></label>
<button type="submit">${t("public-page-filter")}</button>
</form>
${v.map ? html`<figure class="map">${v.map}<figcaption class="hint">${t("public-page-map")}</figcaption></figure>` : ""}
<p class="hint" id="public-count">${t("public-page-count", { count: v.cases.length })}</p>
${v.cases.length === 0 ? html`<p>${t("public-page-none")}</p>` : ""}
${v.cases.map(
  (c) => html`<article class="card public-case" id="case-${c.number}">
<h2><a href="${publicCaseHref(v.locale, c.number)}">${c.number}</a></h2>
${facts(t, v.locale, v.officeTz, c)}
</article>`,
)}
${v.more ? html`<p class="hint">${t("public-page-more", { count: v.limit })}</p>` : ""}`;
  return layout(v.locale, t("public-page-title"), body);
}

export function publicCasePage(locale: Locale, officeTz: string, { case: c, timeline, units }: PublicCaseDetail) {
  const t = translator(locale);
  const body = html`<h1>${c.number}</h1>
<section class="card public-case" id="public-case">
${facts(t, locale, officeTz, c)}
<h2>${t("public-page-timeline")}</h2>
${timelineList(t, locale, { timeline, units }, officeTz)}
</section>
<p><a href="/public?lang=${locale}">${t("public-page-back")}</a></p>`;
  return layout(locale, `${c.number} · ${t("public-page-title")}`, body);
}

/** The public page's refusals (turned off, no such case): one sentence and the way back. */
export function publicMessagePage(locale: Locale, key: string) {
  const t = translator(locale);
  return layout(locale, t("public-page-title"), html`<p class="problems" role="alert">${t(key)}</p>`);
}
