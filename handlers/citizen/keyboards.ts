/** The citizen's inline keyboards; their data is written by the codecs in src/domain/buttons.ts. */
import { InlineKeyboard } from "grammy";
import { LANGUAGE, MENU } from "../../src/domain/buttons";
import { LOCALES } from "../../src/domain/locale";
import { type Translate, translator } from "../../src/i18n";

export function mainMenu(t: Translate): InlineKeyboard {
  return new InlineKeyboard()
    .text(t("menu-report"), MENU.encode("report"))
    .text(t("menu-ask"), MENU.encode("ask"))
    .row()
    .text(t("menu-my"), MENU.encode("my"))
    .text(t("menu-lang"), MENU.encode("lang"));
}

/** Each language is offered in its own name, whatever the current locale. */
export function languageChooser(): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const locale of LOCALES) keyboard.text(translator(locale)("lang-name"), LANGUAGE.encode(locale));
  return keyboard;
}
