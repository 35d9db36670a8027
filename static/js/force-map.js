// The force map: every neighbourhood's boundary; choosing one opens its team page.
// Each area is a named link: Tab reaches it (its name shows and is announced), Enter opens
// the team. A "skip the map" link before it and the list of teams after it are the way to
// choose without the map. Esc hides the tooltips (WCAG 1.4.13).
import { portalMap } from './maps.js';

const element = document.getElementById('force-map');
if (element && window.L) {
  element.hidden = false;
  const map = portalMap(element);
  element.portalMap = map; // lets the browser tests read the map's state
  fetch(element.dataset.boundariesUrl)
    .then((response) => response.json())
    .then((collection) => {
      const layer = L.geoJSON(collection, {
        style: { color: '#1d70b8', weight: 1, fillOpacity: 0.08 },
        onEachFeature: (feature, path) => {
          path.bindTooltip(feature.properties.name, { sticky: true });
          path.on('click', () => { window.location.href = feature.properties.url; });
        },
      }).addTo(map);
      map.fitBounds(layer.getBounds()); // first: the shapes are drawn once the map has a view
      layer.eachLayer((path) => {
        const shape = path.getElement();
        const { name, url } = path.feature.properties;
        shape.setAttribute('tabindex', '0');
        shape.setAttribute('role', 'link');
        shape.setAttribute('aria-label', name);
        shape.addEventListener('keydown', (event) => {
          if (event.key === 'Enter') window.location.href = url;
        });
      });
      document.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') layer.eachLayer((path) => path.closeTooltip());
      });
      element.dataset.ready = 'true';
    });
}
