// Where a reader can share a letter: plain links to each network's own "share" address, so the
// page loads nothing from them (no scripts, no counters, no tracking pixels) until someone clicks.

export interface ShareLink {
  id: 'mastodon' | 'bluesky' | 'x' | 'facebook' | 'linkedin' | 'whatsapp' | 'email';
  label: string;
  href: string;
}

export function shareLinks(letter: { title: string; summary: string; url: string }): ShareLink[] {
  const q = encodeURIComponent;
  const text = `${letter.title} ${letter.url}`;
  const body = [letter.summary, letter.url].filter(Boolean).join('\n\n');
  return [
    // Mastodon has no single site to post to: Toot (toot.kytta.dev, open source, no tracking)
    // asks which server the reader is on and forwards the text there.
    { id: 'mastodon', label: 'Mastodon', href: `https://toot.kytta.dev/?text=${q(text)}` },
    { id: 'bluesky', label: 'Bluesky', href: `https://bsky.app/intent/compose?text=${q(text)}` },
    { id: 'x', label: 'X', href: `https://x.com/intent/post?text=${q(letter.title)}&url=${q(letter.url)}` },
    { id: 'facebook', label: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${q(letter.url)}` },
    { id: 'linkedin', label: 'LinkedIn', href: `https://www.linkedin.com/sharing/share-offsite/?url=${q(letter.url)}` },
    { id: 'whatsapp', label: 'WhatsApp', href: `https://wa.me/?text=${q(text)}` },
    { id: 'email', label: 'Email', href: `mailto:?subject=${q(letter.title)}&body=${q(body)}` },
  ];
}
