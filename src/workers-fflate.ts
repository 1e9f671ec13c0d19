/**
 * fflate for the Workers build only (wrangler.toml `[alias]`): the same library, except that
 * its asynchronous `zip` runs synchronously. fflate hands every file over 160 kB to a Web
 * Worker, and workerd has none ("Worker is not defined"), so write-excel-file's XLSX of more
 * than a couple of hundred cases failed there. A ledger export is one request's work either
 * way; on Node the library is used as it is.
 */
import { type AsyncZipOptions, type AsyncZippable, type FlateCallback, zipSync } from "fflate/browser";

export * from "fflate/browser";

export function zip(data: AsyncZippable, opts: AsyncZipOptions | FlateCallback, cb?: FlateCallback): () => void {
  const done = (typeof opts === "function" ? opts : cb)!;
  const options = typeof opts === "function" ? {} : opts;
  // Called back on a later turn, as the real one does, so callers see the same order of events.
  queueMicrotask(() => {
    let out: Parameters<FlateCallback>[1];
    try {
      out = zipSync(data as Parameters<typeof zipSync>[0], options) as typeof out;
    } catch (err) {
      done(err as Parameters<FlateCallback>[0], null as unknown as typeof out);
      return;
    }
    done(null, out);
  });
  return () => {};
}
