// The game page's favorite toggle: PUT or DELETE /api/v1/me/favorites/{id}, then the button says so.
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-action="favorite"]')) {
  button.addEventListener('click', () => {
    const on = button.getAttribute('aria-pressed') !== 'true';
    button.disabled = true;
    void fetch(`/api/v1/me/favorites/${encodeURIComponent(button.dataset.gameId ?? '')}`, { method: on ? 'PUT' : 'DELETE', headers: { 'content-type': 'application/json' }, body: on ? '{}' : null })
      .then((res) => {
        if (!res.ok) throw new Error(String(res.status));
        button.setAttribute('aria-pressed', on ? 'true' : 'false');
        button.textContent = on ? '★ Favorite' : '☆ Add to favorites';
      })
      .catch(() => {
        button.textContent = 'Could not save: try again';
      })
      .finally(() => {
        button.disabled = false;
      });
  });
}
