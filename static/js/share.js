// Progressive enhancement for the letter's "Link to this letter" field: select it on focus, and a
// "Copy link" button that uses the clipboard and says so to screen readers. Without this file the
// field is still there to select and copy by hand.
(() => {
  for (const field of document.querySelectorAll('input.share-url')) {
    field.addEventListener('focus', () => field.select());
  }
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll('button[data-copy]')) {
    const field = document.getElementById(button.getAttribute('data-copy') || '');
    const status = button.closest('.share-copy')?.querySelector('.share-status');
    if (!(field instanceof HTMLInputElement)) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        // The page's own words (views/partials/share.eta), in its language.
        if (status) status.textContent = button.getAttribute('data-copied') || 'Link copied';
      } catch {
        field.focus();
        if (status)
          status.textContent = button.getAttribute('data-copy-failed') || 'Copying was not allowed: the link is selected, copy it by hand.';
      }
    });
  }
})();
