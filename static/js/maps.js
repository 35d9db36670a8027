// Shared map set-up: a configured base map, or the portal's own layers on plain ground.
export function addBasemap(map, element) {
  const url = element.dataset.basemapUrl;
  if (url) {
    L.tileLayer(url, { attribution: element.dataset.basemapAttribution, maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add('portal-map--plain');
  }
  map.attributionControl.setPrefix('');
}
