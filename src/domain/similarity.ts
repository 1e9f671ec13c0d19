/**
 * How alike two free-text descriptions are, so that two people reporting the same hazard in
 * different words can be noticed. Reports are mostly Chinese, which has no spaces between
 * words: comparing character bigrams needs no word segmenter and still rewards shared words,
 * since most Chinese words are two characters long.
 */

// Whitespace, punctuation (ASCII and CJK alike: the full-width comma, the ideographic full stop,
// corner and book-title brackets, the ellipsis and the em dash are all \p{P}), symbols (emoji,
// currency signs, +, ~) and invisible characters carry no meaning for "is this the same report".
const NOISE = /[\s\p{P}\p{S}\p{Z}\p{C}]/gu;

/**
 * NFKC first, so full-width letters and digits (U+FF21, U+FF11) become their ASCII forms and compare
 * equal to what another phone's keyboard produced.
 */
export function normalizeText(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(NOISE, "");
}

/**
 * Dice coefficient over the multisets of character bigrams of the normalised texts, in [0, 1].
 * A text of one character has no bigrams, so then both sides are compared by single characters.
 * An empty text (after normalising) is like nothing, not even another empty text.
 */
export function textSimilarity(a: string, b: string): number {
  // Array.from splits by code point, so a rare character outside the BMP stays whole.
  const x = Array.from(normalizeText(a));
  const y = Array.from(normalizeText(b));
  if (x.length === 0 || y.length === 0) return 0;
  if (x.join("") === y.join("")) return 1;
  const size = x.length < 2 || y.length < 2 ? 1 : 2;
  const grams = nGrams(x, size);
  const other = nGrams(y, size);
  let shared = 0;
  let total = 0;
  for (const [gram, count] of grams) {
    shared += Math.min(count, other.get(gram) ?? 0);
    total += count;
  }
  for (const count of other.values()) total += count;
  return (2 * shared) / total;
}

function nGrams(chars: string[], size: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + size <= chars.length; i++) {
    const gram = chars.slice(i, i + size).join("");
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}
