// Fills the search box's <datalist> with matching teams as the resident types.
// Without JavaScript the search form still works: it submits and lists results.
const input = document.querySelector('input[data-suggest-url]');
const list = input && document.getElementById(input.getAttribute('list'));
let pending;

if (input && list) {
  input.addEventListener('input', () => {
    clearTimeout(pending);
    const q = input.value.trim();
    if (q.length < 2) return;
    pending = setTimeout(async () => {
      const response = await fetch(`${input.dataset.suggestUrl}?q=${encodeURIComponent(q)}`);
      if (!response.ok) return;
      const suggestions = await response.json();
      list.replaceChildren(...suggestions.map((s) => {
        const option = document.createElement('option');
        option.value = s.label;
        option.label = s.detail;
        return option;
      }));
    }, 200);
  });
}
