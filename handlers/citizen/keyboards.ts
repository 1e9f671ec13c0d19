/** The citizen's inline keyboards. Callback data are short opaque names, checked on arrival. */
import { InlineKeyboard } from "grammy";
import { LOCALES } from "../../src/domain/locale";
import { type Translate, translator } from "../../src/i18n";

export const MENU = { report: "menu:report", ask: "menu:ask", my: "menu:my", lang: "menu:lang" } as const;

export function mainMenu(t: Translate): InlineKeyboard {
  return new InlineKeyboard()
    .text(t("menu-report"), MENU.report)
    .text(t("menu-ask"), MENU.ask)
    .row()
    .text(t("menu-my"), MENU.my)
    .text(t("menu-lang"), MENU.lang);
}

/** Each language is offered in its own name, whatever the current locale. */
export function languageChooser(): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const locale of LOCALES) keyboard.text(translator(locale)("lang-name"), `lang:${locale}`);
  return keyboard;
}
