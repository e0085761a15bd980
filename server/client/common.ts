// On every page: `/` focuses the search box; the sign-out button ends the session.
document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement | null;
  const typing = target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
  if (event.key === '/' && !typing && !event.metaKey && !event.ctrlKey && !event.altKey) {
    event.preventDefault();
    document.querySelector<HTMLInputElement>('#q')?.focus();
  }
});

for (const button of document.querySelectorAll<HTMLButtonElement>('[data-action="sign-out"]')) {
  button.addEventListener('click', () => {
    void fetch('/api/v1/session', { method: 'DELETE' }).then(() => location.assign('/login'));
  });
}

// Remote cover images (RAWG's CDN) load only after the visitor turns them on; the server then
// allows that one origin in its CSP. A cover that fails to load (blocked, offline) is removed.
for (const toggle of document.querySelectorAll<HTMLInputElement>('[data-images-toggle]')) {
  toggle.addEventListener('change', () => {
    document.cookie = `gmp_images=${toggle.checked ? 'on' : 'off'}; path=/; max-age=31536000; samesite=strict`;
    location.reload();
  });
}
for (const img of document.querySelectorAll<HTMLImageElement>('img[data-cover]')) {
  const drop = () => img.remove();
  if (img.complete && img.naturalWidth === 0) drop();
  else img.addEventListener('error', drop, { once: true });
}
