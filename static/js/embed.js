// Keeps the embedded card's count current while it is on screen. Without JavaScript the card
// shows the count as of loading, which is fine.
(() => {
  const card = document.querySelector('[data-count-url]');
  const count = card?.querySelector('.count');
  if (!card || !count || !window.fetch) return;
  const url = card.getAttribute('data-count-url');
  // The page's language decides how the number is written (views/letters/embed.eta).
  const format = new Intl.NumberFormat(card.getAttribute('data-number-locale') || 'en-GB');
  const refresh = async () => {
    if (document.hidden) return;
    try {
      const response = await fetch(url, { headers: { accept: 'application/json' } });
      if (!response.ok) return;
      const body = await response.json();
      if (typeof body.signature_count === 'number') count.textContent = format.format(body.signature_count);
    } catch {
      // Offline or refused: keep the number we have.
    }
  };
  setInterval(refresh, 30_000);
})();
