/**
 * The public page (/public): the cases the county lists for supervision and how their
 * rectification stands, with a county map of their places, narrowed by town and sector with a
 * plain GET form; /public/:number shows one with its public timeline. Only what
 * services.publicCases hands out — never a reporter — and only when the office has turned it
 * on in the directory file (`publication: { public_page: true }`); otherwise every page is 404.
 */
import { Hono } from "hono";
import { type Locale, localName } from "../domain/locale";
import { parseCaseNumber } from "../domain/numbering";
import { OPEN_STATUSES } from "../domain/workflow";
import { translator } from "../i18n";
import type { Services } from "../services";
import type { PublicCase } from "../services/public-cases";
import { countyMap } from "./public-map";
import { publicCaseHref, publicCasePage, publicListPage, publicMessagePage } from "./public-pages";
import { siteLocale } from "./report";

/** The most cases the page lists at once; a filter shows the others. */
export const PUBLIC_PAGE_LIMIT = 200;

export interface PublicSiteDeps {
  services: Pick<Services, "publicCases" | "directory" | "officeTz">;
}

/** The map's markers: the listed cases that have a pin, red while open, green once closed. */
const markersOf = (locale: Locale, cases: readonly PublicCase[]) =>
  cases.flatMap((c) =>
    c.location ? [{ number: c.number, href: publicCaseHref(locale, c.number), at: c.location, closed: !OPEN_STATUSES.includes(c.status) }] : [],
  );

export function createPublicSite(deps: PublicSiteDeps): Hono {
  const { services } = deps;
  const app = new Hono();

  // "/public/*" also matches "/public" itself.
  app.use("/public/*", async function publishedOnly(c, next) {
    if (!(await services.publicCases.enabled())) return c.html(publicMessagePage(siteLocale(c), "public-page-off"), 404);
    await next();
  });

  app.get("/public", async (c) => {
    const locale = siteLocale(c);
    const [towns, sectors, regions] = await Promise.all([services.directory.towns(), services.directory.sectors(), services.directory.mapRegions()]);
    // A town or sector the office does not have is as if not chosen.
    const town = towns.find((r) => r.id === c.req.query("town"))?.id;
    const sector = sectors.find((s) => s.id === c.req.query("sector"))?.id;
    const found = await services.publicCases.list({ townId: town, sectorIds: sector ? [sector] : undefined, limit: PUBLIC_PAGE_LIMIT + 1 });
    const cases = found.slice(0, PUBLIC_PAGE_LIMIT);
    const map = countyMap(
      regions.map((r) => ({ name: localName(locale, r), level: r.level, area: r.area })),
      markersOf(locale, cases),
      translator(locale)("public-page-map"),
    );
    return c.html(
      publicListPage({
        locale,
        officeTz: services.officeTz,
        cases,
        more: found.length > PUBLIC_PAGE_LIMIT,
        limit: PUBLIC_PAGE_LIMIT,
        towns: towns.map((r) => ({ id: r.id, name: localName(locale, r) })),
        sectors: sectors.map((s) => ({ id: s.id, name: localName(locale, s) })),
        chosen: { town, sector },
        map,
      }),
    );
  });

  app.get("/public/:number", async (c) => {
    const locale = siteLocale(c);
    const number = parseCaseNumber(c.req.param("number"));
    const found = number === null ? null : await services.publicCases.one(number);
    if (found === null) return c.html(publicMessagePage(locale, "public-page-not-found"), 404);
    return c.html(publicCasePage(locale, services.officeTz, found));
  });
  return app;
}
