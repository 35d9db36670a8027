// The crime map: tiles rendered by the portal, the neighbourhood boundaries, and the
// crimes at a map point on click, or from the keyboard with Enter on the focused map (the
// point nearest the cross in the middle; the answer is also read out through a live
// region). The tables on the page say the same without a map.
import { portalMap } from './maps.js';

const element = document.getElementById('crime-map');

function listCrimes(point, text) {
  const box = document.createElement('div');
  const heading = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = point.location || '';
  heading.append(strong, document.createElement('br'), text.crimesHere.replace('{count}', point.count));
  box.append(heading);
  const list = document.createElement('ul');
  list.className = 'portal-crime-popup';
  for (const crime of point.crimes) {
    const item = document.createElement('li');
    const category = document.createElement('strong');
    category.textContent = crime.category_label || crime.category;
    item.append(`${crime.count} × `, category, `: ${crime.outcome}`);
    list.append(item);
  }
  box.append(list);
  return box;
}

if (element && window.L) {
  element.hidden = false;
  const staticMap = document.getElementById('crime-static-map');
  if (staticMap) staticMap.hidden = true;
  const data = element.dataset;
  const text = { crimesHere: data.textCrimesHere, nothing: data.textNothing, zoom: data.textZoom };
  const map = portalMap(element, { maxZoom: 18 });
  document.getElementById('crime-map-keys').hidden = false;
  const announcement = document.getElementById('crime-map-announcement');
  element.portalMap = map; // lets the browser tests find points on screen
  const [south, west, north, east] = data.bounds.split(',').map(Number);
  map.fitBounds([[south, west], [north, east]]);

  const boundaries = L.geoJSON(null, {
    style: { color: '#505a5f', weight: 1, fill: false, dashArray: '4 4' },
  }).addTo(map);
  const loadBoundaries = () => {
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(',');
    fetch(`${data.neighbourhoodsUrl}?bbox=${bbox}`)
      .then((response) => response.json())
      .then((collection) => { boundaries.clearLayers(); boundaries.addData(collection); });
  };
  map.on('moveend', loadBoundaries);
  loadBoundaries();
  fetch(data.boundaryUrl)
    .then((response) => response.json())
    .then((feature) => L.geoJSON(feature, { style: { color: '#0b0c0c', weight: 3, fill: false } }).addTo(map));

  const crimes = L.tileLayer(data.tileUrl, { maxZoom: 18, attribution: data.textAttribution });
  crimes.addTo(map);

  const show = (latlng, content) => {
    L.popup({ maxHeight: 260 }).setLatLng(latlng).setContent(content).openOn(map);
    announcement.textContent = typeof content === 'string' ? content : content.innerText; // in the page by now: line breaks kept
  };

  map.on('click', (event) => {
    const params = new URLSearchParams({
      lat: event.latlng.lat.toFixed(6), lon: event.latlng.lng.toFixed(6), z: map.getZoom(),
    });
    fetch(`${data.nearUrl}&${params}`)
      .then((response) => response.json())
      .then((answer) => {
        if (answer.point) {
          show([answer.point.latitude, answer.point.longitude], listCrimes(answer.point, text));
        } else {
          show(event.latlng, map.getZoom() < 13 ? text.zoom : text.nothing);
        }
      });
  });

  // Enter on the map itself (not on a control inside it): the point nearest the middle.
  element.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.target !== element) return;
    event.preventDefault();
    const centre = map.getCenter();
    const view = map.getBounds();
    const params = new URLSearchParams({
      lat: centre.lat.toFixed(6), lon: centre.lng.toFixed(6), z: map.getZoom(), nearest: '1',
      bbox: [view.getWest(), view.getSouth(), view.getEast(), view.getNorth()].map((v) => v.toFixed(6)).join(','),
    });
    fetch(`${data.nearUrl}&${params}`)
      .then((response) => response.json())
      .then((answer) => {
        if (answer.point) {
          const at = L.latLng(answer.point.latitude, answer.point.longitude);
          if (map.getZoom() < 13) map.setView(at, 13, { animate: false });
          show(at, listCrimes(answer.point, text));
        } else {
          show(centre, data.textNoPoint);
        }
      });
  });
}
