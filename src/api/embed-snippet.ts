// The embed card's snippet, written once: the API docs show it, and the browser tests frame the
// card with it exactly as a newsroom would paste it.

/** Wide enough for the card, narrow enough to sit in an article's column. */
export const EMBED_MAX_WIDTH_PX = 400;
/**
 * The card's height at any width from 280 px up, measured in Chromium with the longest content
 * the card allows (the collective on one line, the title at three, two lines of fine print).
 */
export const EMBED_HEIGHT_PX = 320;

/** The iframe to paste: as wide as its column up to EMBED_MAX_WIDTH_PX, and tall enough for the card. */
export function embedSnippet(base: string, slug: string): string {
  return (
    `<iframe src="${base}/letters/${slug}/embed" title="Open letter: sign and see the count" ` +
    `width="${EMBED_MAX_WIDTH_PX}" height="${EMBED_HEIGHT_PX}" loading="lazy" ` +
    `style="display: block; box-sizing: border-box; width: 100%; max-width: ${EMBED_MAX_WIDTH_PX}px; height: ${EMBED_HEIGHT_PX}px; border: 1px solid #ddd; border-radius: 8px;"></iframe>`
  );
}
