// Shared map set-up for the three Leaflet maps: a configured base map (or the portal's own
// layers on plain ground), zoom buttons titled in the page's language, and buttons that pan
// the map (WCAG 2.5.7: dragging is not the only way to move it). The texts come from the
// map element's data-text-* attributes, which templates/_maps.html writes.
export function addBasemap(map, element) {
  const url = element.dataset.basemapUrl;
  if (url) {
    L.tileLayer(url, { attribution: element.dataset.basemapAttribution, maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add('portal-map--plain');
  }
  map.attributionControl.setPrefix('');
}

const PAN_STEP = 0.4; // of the map's width or height per press

const PanControl = L.Control.extend({
  options: { position: 'topleft' },
  onAdd(map) {
    const text = this.options.text;
    const bar = L.DomUtil.create('div', 'leaflet-bar portal-map__pan');
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', text.pan);
    const moves = [
      ['up', '↑', text.panUp, [0, -1]], ['left', '←', text.panLeft, [-1, 0]],
      ['right', '→', text.panRight, [1, 0]], ['down', '↓', text.panDown, [0, 1]],
    ];
    for (const [name, arrow, label, [dx, dy]] of moves) {
      const button = L.DomUtil.create('button', `portal-map__pan-${name}`, bar);
      button.type = 'button';
      button.textContent = arrow;
      button.setAttribute('aria-label', label);
      button.title = label;
      L.DomEvent.on(button, 'click', (event) => {
        L.DomEvent.stop(event);
        const size = map.getSize();
        map.panBy([dx * size.x * PAN_STEP, dy * size.y * PAN_STEP]);
      });
    }
    L.DomEvent.disableClickPropagation(bar);
    return bar;
  },
});

// A Leaflet map with the portal's controls: zoom (titled), pan buttons. Options go to L.map.
export function portalMap(element, options = {}) {
  const text = element.dataset;
  const map = L.map(element, { scrollWheelZoom: false, zoomControl: false, ...options });
  L.control.zoom({ zoomInTitle: text.textZoomIn, zoomOutTitle: text.textZoomOut }).addTo(map);
  new PanControl({
    text: {
      pan: text.textPan, panUp: text.textPanUp, panDown: text.textPanDown,
      panLeft: text.textPanLeft, panRight: text.textPanRight,
    },
  }).addTo(map);
  addBasemap(map, element);
  return map;
}
