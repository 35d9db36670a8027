// The force map: every neighbourhood's boundary; choosing one opens its team page.
// The list of teams under the map is the way to choose without a map.
import { addBasemap } from './maps.js';

const element = document.getElementById('force-map');
if (element && window.L) {
  element.hidden = false;
  const map = L.map(element, { scrollWheelZoom: false });
  addBasemap(map, element);
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
      map.fitBounds(layer.getBounds());
    });
}
