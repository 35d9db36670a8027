// A team's reports on a map (staff only): one circle per report, linked to its message,
// over the crime map of the latest month when there is one (the layers control switches it).
import { portalMap } from './maps.js';

const element = document.getElementById('report-map');

if (element && window.L) {
  const data = element.dataset;
  element.hidden = false;
  const map = portalMap(element, { maxZoom: 19 });
  element.portalMap = map;
  const [south, west, north, east] = data.bounds.split(',').map(Number);
  map.fitBounds([[south, west], [north, east]]);
  fetch(data.boundaryUrl)
    .then((response) => response.json())
    .then((feature) => L.geoJSON(feature, { style: { color: '#0b0c0c', weight: 3, fill: false } }).addTo(map));

  const reports = L.layerGroup().addTo(map);
  const focus = new URLSearchParams(window.location.search).get('focus');
  for (const report of JSON.parse(data.reports)) {
    const circle = L.circleMarker([report.lat, report.lng], {
      radius: 9, color: '#0b0c0c', weight: 2, fillColor: '#d4351c', fillOpacity: 0.85,
    }).addTo(reports);
    const box = document.createElement('div');
    const kind = document.createElement('strong');
    kind.textContent = report.type;
    box.append(kind);
    if (report.url) {
      const link = document.createElement('a');
      link.href = report.url;
      link.className = 'govuk-link';
      link.textContent = report.reference;
      box.append(document.createElement('br'), link);
    }
    circle.bindPopup(box);
    if (String(report.id) === focus) {
      map.setView([report.lat, report.lng], 17, { animate: false });
      circle.openPopup();
    }
  }
  const overlays = { [data.textReportsLayer]: reports };
  if (data.crimeTileUrl) {
    overlays[data.textCrimeLayer] = L.tileLayer(data.crimeTileUrl, { maxZoom: 19, opacity: 0.7 });
  }
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);
}
