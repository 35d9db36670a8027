// Report a problem: drop a pin where the problem is. The pin fills the form's hidden
// latitude and longitude; without JavaScript (or by choice) the resident types a street,
// place or postcode instead. Keyboard users move the map and press "Put the pin in the
// middle of the map"; what happened is read out through a live region.
import { portalMap } from './maps.js';

const element = document.getElementById('report-map');

if (element && window.L) {
  const data = element.dataset;
  element.hidden = false;
  document.getElementById('report-map-keys').hidden = false;
  document.getElementById('report-map-buttons').hidden = false;
  const latitude = document.getElementById('latitude');
  const longitude = document.getElementById('longitude');
  const status = document.getElementById('pin-status');
  const remove = document.getElementById('pin-remove');
  const map = portalMap(element, { maxZoom: 19 });
  element.portalMap = map; // lets the browser tests find places on screen
  const [south, west, north, east] = data.bounds.split(',').map(Number);
  map.fitBounds([[south, west], [north, east]]);

  const boundaries = L.geoJSON(null, {
    style: { color: '#505a5f', weight: 1, fill: false, dashArray: '4 4' },
  }).addTo(map);
  const loadBoundaries = () => {
    if (map.getZoom() < 11) { boundaries.clearLayers(); return; }
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(',');
    fetch(`${data.neighbourhoodsUrl}?bbox=${bbox}`)
      .then((response) => response.json())
      .then((collection) => { boundaries.clearLayers(); boundaries.addData(collection); });
  };
  map.on('moveend', loadBoundaries);
  loadBoundaries();

  let pin = null;
  const where = (latlng) => data.textPinAt
    .replace('{lat}', latlng.lat.toFixed(5)).replace('{lng}', latlng.lng.toFixed(5));
  const drop = (latlng, quietly = false) => {
    if (pin) {
      pin.setLatLng(latlng);
    } else {
      pin = L.circleMarker(latlng, {
        radius: 10, color: '#0b0c0c', weight: 3, fillColor: '#d4351c', fillOpacity: 0.9, interactive: false,
      }).addTo(map);
    }
    latitude.value = latlng.lat.toFixed(6);
    longitude.value = latlng.lng.toFixed(6);
    remove.hidden = false;
    status.textContent = quietly ? where(latlng) : `${data.textPinned} ${where(latlng)}`;
  };

  map.on('click', (event) => drop(event.latlng));
  document.getElementById('pin-centre').addEventListener('click', () => drop(map.getCenter()));
  remove.addEventListener('click', () => {
    if (pin) { pin.remove(); pin = null; }
    latitude.value = '';
    longitude.value = '';
    remove.hidden = true;
    status.textContent = data.textRemoved;
  });

  // Back from an error: the pin the resident dropped is still there.
  if (latitude.value && longitude.value) {
    const kept = L.latLng(Number(latitude.value), Number(longitude.value));
    map.setView(kept, 16, { animate: false });
    drop(kept, true);
  }
}

// A photo over the limit is refused at once, before a long upload that would be refused anyway.
const photo = document.getElementById('photo');
const photoStatus = document.getElementById('photo-status');
if (photo && photoStatus && photo.dataset.maxBytes) {
  photo.addEventListener('change', () => {
    photoStatus.textContent = '';
    const file = photo.files[0];
    if (file && file.size > Number(photo.dataset.maxBytes)) {
      photo.value = '';
      const message = document.createElement('p');
      message.className = 'govuk-error-message';
      message.textContent = photo.dataset.textTooBig;
      photoStatus.append(message);
    }
  });
}
