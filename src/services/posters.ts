/**
 * QR posters for the public web report form: finds the region, sector and office in the
 * directory and builds the poster's files (src/domain/poster.ts). One use case for two doors,
 * /poster in chat and `npm run poster` on a machine.
 */
import type { Db } from "../../db/client";
import { findOfficeUnit, findRegionByIdOrName, findSectorByIdOrName, listSectors, listTowns } from "../../db/queries/directory";
import type { Region, Sector } from "../../db/schema";
import { buildPoster, normalizeSite, type PosterTarget, posterFileBase, posterUrl } from "../domain/poster";
import { translator } from "../i18n";

export type PosterRefusal = "POSTER.NO_SITE_URL" | "POSTER.UNKNOWN_REGION" | "POSTER.UNKNOWN_SECTOR" | "POSTER.SITE_EMPTY" | "POSTER.SITE_TOO_LONG";

export interface PosterFile {
  filename: string;
  bytes: Uint8Array;
}

export type PosterResult =
  | { ok: true; url: string; region: Region; sector: Sector | null; files: [png: PosterFile, svg: PosterFile] }
  | { ok: false; code: PosterRefusal };

export interface PosterRequest {
  /** A region's id, or its Chinese or English name. */
  region: string;
  /** A sector's id, or its Chinese or English name. */
  sector?: string;
  /** A site's or company's name, as typed. */
  site?: string;
}

export function posterService(deps: { db: Db; siteUrl?: string }) {
  const { db, siteUrl } = deps;
  return {
    /** The towns and sectors to offer when none is named. */
    async choices() {
      return { towns: await listTowns(db), sectors: await listSectors(db) };
    },

    /** The poster's PNG (the code alone) and SVG (the A4 sheet), or why there is none. */
    async make(request: PosterRequest): Promise<PosterResult> {
      if (siteUrl === undefined) return { ok: false, code: "POSTER.NO_SITE_URL" };
      const region = await findRegionByIdOrName(db, request.region.trim());
      if (region === null) return { ok: false, code: "POSTER.UNKNOWN_REGION" };
      const sector = request.sector === undefined ? null : await findSectorByIdOrName(db, request.sector.trim());
      if (request.sector !== undefined && sector === null) return { ok: false, code: "POSTER.UNKNOWN_SECTOR" };
      const site = request.site === undefined ? undefined : normalizeSite(request.site);
      if (site !== undefined && !site.ok) return site;

      const target: PosterTarget = { regionId: region.id, sectorId: sector?.id, site: site?.site };
      const url = posterUrl(siteUrl, target);
      const office = await findOfficeUnit(db);
      const poster = buildPoster({ url, region, sector: sector ?? undefined, site: site?.site, office: office ?? undefined }, translator);
      const base = posterFileBase(target);
      return {
        ok: true,
        url,
        region,
        sector,
        files: [
          { filename: `${base}.png`, bytes: poster.png },
          { filename: `${base}.svg`, bytes: new TextEncoder().encode(poster.svg) },
        ],
      };
    },
  };
}

export type PosterService = ReturnType<typeof posterService>;
