/**
 * Translation through Fluent (@fluent/bundle). The locale sources are string modules in
 * src/locales/, parsed once per isolate on first use.
 *
 * Why not @grammyjs/i18n: it ships a Deno shim that needs Node's fs and process, which would
 * force nodejs_compat on Workers for no gain; we use the same Fluent engine it wraps.
 */
import { FluentBundle, FluentResource, type FluentVariable } from "@fluent/bundle";
import { LOCALES, type Locale } from "./domain/locale";
import { en } from "./locales/en";
import { zhCN } from "./locales/zh-CN";

const SOURCES: Record<Locale, string> = { "zh-CN": zhCN, en };

export type TranslateArgs = Record<string, FluentVariable>;
export type Translate = (key: string, args?: TranslateArgs) => string;

const bundles = new Map<Locale, FluentBundle>();

/** Parses a locale's source; returns the bundle and Fluent's syntax errors, if any. */
export function parseLocale(locale: Locale): { bundle: FluentBundle; errors: Error[] } {
  // Telegram shows Unicode isolation marks as stray characters, so they are turned off.
  const bundle = new FluentBundle(locale, { useIsolating: false });
  const errors = bundle.addResource(new FluentResource(SOURCES[locale]));
  return { bundle, errors };
}

function bundleFor(locale: Locale): FluentBundle {
  let bundle = bundles.get(locale);
  if (bundle === undefined) {
    bundle = parseLocale(locale).bundle;
    bundles.set(locale, bundle);
  }
  return bundle;
}

/** A translator for one locale. A missing key renders as the key itself, never throws. */
export function translator(locale: Locale): Translate {
  const bundle = bundleFor(locale);
  return (key, args) => {
    const message = bundle.getMessage(key);
    if (message?.value == null) return key;
    return bundle.formatPattern(message.value, args ?? null, []);
  };
}

/** Every message id of a locale, for the tests that keep the locales in step. */
export function messageIds(locale: Locale): string[] {
  const resource = new FluentResource(SOURCES[locale]);
  return resource.body.map((entry) => entry.id).filter((id) => !id.startsWith("-"));
}

export { LOCALES };
