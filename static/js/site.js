// Progressive enhancement only: every page works without this file.
(() => {
  // After a failed submit, move focus to the error summary so screen readers announce it.
  const summary = document.querySelector('.error-summary');
  if (summary instanceof HTMLElement && !document.querySelector('[autofocus]')) summary.focus();
})();
