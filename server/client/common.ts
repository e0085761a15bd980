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
