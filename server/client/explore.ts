// The explorer: each range slider shows its value as it moves (the form itself works without this).
for (const output of document.querySelectorAll<HTMLOutputElement>('output[data-for]')) {
  const input = document.querySelector<HTMLInputElement>(`input[name="${output.dataset.for ?? ''}"]`);
  input?.addEventListener('input', () => {
    output.value = input.value;
  });
}
