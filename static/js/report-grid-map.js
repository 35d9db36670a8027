// Reported problems on the public crime page: squares of about 1 km, each numbered as in
// the table beside it, with only the counts the portal publishes. No points, no text.
import { portalMap } from './maps.js';

const element = document.getElementById('report-grid-map');

if (element && window.L) {
  const data = element.dataset;
  element.hidden = false;
  const map = portalMap(element, { maxZoom: 17 });
  const [south, west, north, east] = data.bounds.split(',').map(Number);
  map.fitBounds([[south, west], [north, east]]);
  fetch(data.boundaryUrl)
    .then((response) => response.json())
    .then((feature) => L.geoJSON(feature, { style: { color: '#0b0c0c', weight: 3, fill: false } }).addTo(map));
  JSON.parse(data.cells).forEach((cell, index) => {
    L.rectangle([[cell.south, cell.west], [cell.north, cell.east]], {
      color: '#1d70b8', weight: 2, fillColor: '#1d70b8', fillOpacity: 0.25,
    }).bindTooltip(`${index + 1}: ${cell.text}`, { permanent: true, direction: 'center' }).addTo(map);
  });
}
