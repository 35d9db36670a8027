// The team page map: the neighbourhood boundary and, where known, the team's base.
import { portalMap } from './maps.js';

const element = document.getElementById('team-map');
if (element && window.L) {
  element.hidden = false;
  const map = portalMap(element);
  element.portalMap = map; // lets the browser tests read the map's state
  fetch(element.dataset.boundaryUrl)
    .then((response) => response.json())
    .then((feature) => {
      const area = L.geoJSON(feature, { style: { color: '#1d70b8', weight: 2, fillOpacity: 0.08 } }).addTo(map);
      map.fitBounds(area.getBounds());
    });
  if (element.dataset.stationLat) {
    L.circleMarker([+element.dataset.stationLat, +element.dataset.stationLon], {
      radius: 8, color: '#0b0c0c', fillColor: '#ffdd00', fillOpacity: 1, weight: 2,
    }).addTo(map).bindTooltip(element.dataset.stationName, { permanent: true, direction: 'top' });
  }
}
