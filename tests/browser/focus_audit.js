// Every focus stop of the page, as keyboard focus reaches it: its accessible name (as axe-core
// computes it) and whether its focus indicator stands out from what surrounds it (>= 3:1).
// Returns {stops, unnamed: [...], weak: [...]}. Needs axe loaded, and one real Tab pressed
// first, so that script focus matches :focus-visible as keyboard focus does.
(() => {
  const parse = (text) => {
    const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(text || '');
    return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
  };
  const luminance = ([r, g, b]) => {
    const lin = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const over = (top, ground) => top.slice(0, 3).map((c, i) => c * top[3] + ground[i] * (1 - top[3]));
  const groundBehind = (element) => {
    // the colour around the element: the nearest ancestor with a background, composited on white
    const layers = [];
    for (let e = element.parentElement; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg[3] > 0) { layers.push(bg); if (bg[3] === 1) break; }
    }
    return layers.reverse().reduce((ground, layer) => over(layer, ground), [255, 255, 255]);
  };
  const shadows = (text) => (text && text !== 'none' ? [...text.matchAll(/rgba?\([^)]*\)/g)].map((m) => parse(m[0])) : []);
  const visible = (e) => {
    const box = e.getBoundingClientRect();
    const style = getComputedStyle(e);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && !e.closest('[hidden], [inert]');
  };
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex], [contenteditable=true]';
  const stops = [...document.querySelectorAll(selector)].filter((e) =>
    e.tabIndex >= 0 && !e.disabled && visible(e) && e.getAttribute('tabindex') !== '-1');
  const describe = (e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).slice(0, 2).join('.') : ''}`
    + `[${(e.getAttribute('href') || e.getAttribute('name') || '').slice(0, 40)}]`;
  if (document.activeElement) document.activeElement.blur(); // measure each stop unfocused first
  axe.setup(document);
  const unnamed = [];
  const weak = [];
  try {
    for (const e of stops) {
      // radios and checkboxes share a name: only the checked one (or the first) is a stop, but
      // each has its label; the name check is the same for all.
      const name = axe.commons.text.accessibleText(e).trim();
      if (!name) unnamed.push(describe(e));
      const before = getComputedStyle(e);
      const shown = e.getBoundingClientRect();
      // a radio's or checkbox's focus ring is drawn by its label's ::before (govuk-frontend)
      const drawn = e.matches('.govuk-radios__input, .govuk-checkboxes__input') && e.labels.length
        ? () => getComputedStyle(e.labels[0], '::before') : () => getComputedStyle(e);
      const was = {
        bg: parse(before.backgroundColor), stroke: parse(before.stroke),
        border: drawn().borderTopWidth + drawn().borderTopColor, shadow: drawn().boxShadow,
      };
      e.focus();
      if (document.activeElement !== e) continue;
      // hidden until focused (skip links): appearing is the indicator; axe checks its text
      if (shown.width <= 1 || shown.height <= 1) { e.blur(); continue; }
      const now = drawn();
      const ground = groundBehind(e);
      const ownGround = was.bg && was.bg[3] > 0 ? over(was.bg, ground) : ground;
      const candidates = [];
      if (now.outlineStyle !== 'none' && parseFloat(now.outlineWidth) >= 2) {
        const c = parse(now.outlineColor);
        if (c && c[3] > 0) candidates.push(['outline', over(c, ground), [ground, ownGround]]);
      }
      if (now.boxShadow !== was.shadow) for (const c of shadows(now.boxShadow)) if (c && c[3] > 0) candidates.push(['shadow', over(c, ground), [ownGround]]);
      const bg = parse(now.backgroundColor);
      if (bg && bg[3] > 0 && String(bg) !== String(was.bg)) candidates.push(['background', over(bg, ground), [ground, ownGround]]);
      if (now.borderTopWidth + now.borderTopColor !== was.border && parseFloat(now.borderTopWidth) >= 2) {
        const c = parse(now.borderTopColor);
        if (c && c[3] > 0) candidates.push(['border', over(c, ground), [ground]]);
      }
      const stroke = parse(now.stroke);
      if (stroke && stroke[3] > 0 && String(stroke) !== String(was.stroke) && parseFloat(now.strokeWidth) >= 2) {
        candidates.push(['stroke', over(stroke, ground), [ground]]);
      }
      const best = Math.max(0, ...candidates.map(([, colour, against]) => Math.min(...against.map((a) => contrast(colour, a)))));
      if (best < 3) weak.push(`${describe(e)}: ${best.toFixed(2)}:1 (${candidates.map((c) => c[0]).join(', ') || 'no indicator'})`);
      e.blur();
    }
  } finally {
    axe.teardown();
  }
  return { stops: stops.length, unnamed, weak };
})()
