// Where a reader can share a letter: plain links to each network's own "share" address, so the
// page loads nothing from them (no scripts, no counters, no tracking pixels) until someone clicks.

export interface ShareLink {
  id: 'mastodon' | 'bluesky' | 'x' | 'facebook' | 'linkedin' | 'whatsapp' | 'email';
  label: string;
  href: string;
}

/**
 * `text` is what a post says before the address: the title on the letter page, "I signed …" on
 * the thank-you page. A mail's body is the summary (if any) and the address.
 */
export function shareLinks(letter: { title: string; summary: string; url: string; text?: string }): ShareLink[] {
  const q = encodeURIComponent;
  const words = letter.text ?? letter.title;
  const text = `${words} ${letter.url}`;
  const body = [letter.text ?? letter.summary, letter.url].filter(Boolean).join('\n\n');
  return [
    // Mastodon has no single site to post to: mastodonshare.com (open source, no tracking, no
    // account) asks which server the reader is on and opens the post there.
    { id: 'mastodon', label: 'Mastodon', href: `https://mastodonshare.com/?text=${q(words)}&url=${q(letter.url)}` },
    { id: 'bluesky', label: 'Bluesky', href: `https://bsky.app/intent/compose?text=${q(text)}` },
    { id: 'x', label: 'X', href: `https://x.com/intent/post?text=${q(words)}&url=${q(letter.url)}` },
    { id: 'facebook', label: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${q(letter.url)}` },
    { id: 'linkedin', label: 'LinkedIn', href: `https://www.linkedin.com/sharing/share-offsite/?url=${q(letter.url)}` },
    { id: 'whatsapp', label: 'WhatsApp', href: `https://wa.me/?text=${q(text)}` },
    { id: 'email', label: 'Email', href: `mailto:?subject=${q(letter.title)}&body=${q(body)}` },
  ];
}
