// A dashboard's filters: a choice applies at once (the form is a plain GET, so the URL holds the
// view and works without this script); a slider shows its value while it moves.
for (const form of document.querySelectorAll<HTMLFormElement>('form.dash-inputs')) {
  // Empty filters stay out of the URL: shorter links to share.
  form.addEventListener('submit', () => {
    for (const field of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) if (field.value === '') field.disabled = true;
  });
  for (const select of form.querySelectorAll('select')) select.addEventListener('change', () => form.requestSubmit());
  for (const range of form.querySelectorAll<HTMLInputElement>('input[type="range"]')) {
    const output = form.querySelector<HTMLOutputElement>(`output[for="${range.id}"]`);
    range.addEventListener('input', () => {
      if (output) output.value = range.value;
    });
    range.addEventListener('change', () => form.requestSubmit());
  }
}
