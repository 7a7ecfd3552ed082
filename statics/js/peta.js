import { h } from './dom.js';
import { t } from './i18n.js';
import { LAT_RANGE, LON_RANGE } from './meta.js';

/**
 * The Lokasi Izin map: Leaflet (vendored, loaded on this step only) with tiles from our
 * own origin. When the tiles or Leaflet cannot load, a short note says so; the
 * coordinates can always be typed, and they are optional.
 */

export const CENTER = [2.8375, 117.3652]; // Tanjung Selor
export const ZOOM = 8;
// The ranges the API accepts (GET /api/meta).
export { LAT_RANGE, LON_RANGE };
const TILE_URL = '/tiles/{z}/{x}/{y}.png';
const VENDOR = 'vendor/leaflet/';

// Where the regencies' seats are, drawn when there are no tiles so the map is not blank.
const PLACES = [
  ['Tanjung Selor', 2.8375, 117.3652],
  ['Tarakan', 3.3000, 117.6333],
  ['Malinau', 3.5850, 116.6470],
  ['Nunukan', 4.1360, 117.6660],
  ['Tideng Pale', 3.5300, 117.0640],
];

let leaflet = null;

function loadOnce(tag, attrs) {
  return new Promise((resolve, reject) => {
    const el = document.createElement(tag);
    Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, v));
    el.addEventListener('load', () => resolve(el));
    el.addEventListener('error', () => {
      el.remove();
      reject(new Error(`${tag} ${attrs.src || attrs.href}`));
    });
    document.head.appendChild(el);
  });
}

/** Leaflet's script and stylesheet, fetched the first time a map is shown. */
export function loadLeaflet() {
  if (window.L && window.L.map) return Promise.resolve(window.L);
  if (!leaflet) {
    leaflet = Promise.all([
      document.querySelector('link[data-leaflet]')
        ? Promise.resolve()
        : loadOnce('link', { rel: 'stylesheet', href: `${VENDOR}leaflet.css`, 'data-leaflet': '' }),
      loadOnce('script', { src: `${VENDOR}leaflet.js` }),
    ]).then(() => {
      if (!window.L || !window.L.map) throw new Error('Leaflet');
      return window.L;
    }).catch((err) => {
      leaflet = null;
      throw err;
    });
  }
  return leaflet;
}

function tileOf(lat, lon, zoom) {
  const n = 2 ** zoom;
  const rad = (lat * Math.PI) / 180;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { x, y };
}

/** One tile first: when it cannot load, the map is shown without tiles and nothing more is asked for. */
function probeTiles() {
  const { x, y } = tileOf(CENTER[0], CENTER[1], ZOOM);
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve(true);
    img.onerror = () => resolve(false);
    img.src = TILE_URL.replace('{z}', ZOOM).replace('{x}', x).replace('{y}', y);
  });
}

export function inKaltara(lat, lon) {
  return lat >= LAT_RANGE[0] && lat <= LAT_RANGE[1] && lon >= LON_RANGE[0] && lon <= LON_RANGE[1];
}

/**
 * Mount the map in `host`. onPick(lat, lon) is called when the map is clicked.
 * Returns { setPoint(lat, lon) } at once; the map itself appears when Leaflet is loaded.
 */
/** A touch screen: the map is tapped ("Ketuk"), not clicked. */
export function isTouch() {
  return (window.matchMedia && window.matchMedia('(pointer: coarse)').matches) || navigator.maxTouchPoints > 0;
}

export function mountMap(host, { point = null, onPick }) {
  const note = h('p', { class: 'map-note', role: 'status', 'data-testid': 'map-note', hidden: true });
  const canvas = h('div', {
    class: 'map-canvas', id: 'peta-lokasi', role: 'region', 'data-testid': 'map', 'aria-label': t(isTouch() ? 'lokasi.mapLabelTouch' : 'lokasi.mapLabel'),
  });
  const hint = h('p', { class: 'hint', 'data-testid': 'map-hint' }, t(isTouch() ? 'lokasi.mapHintTouch' : 'lokasi.mapHint'));
  host.append(hint, note, canvas);

  let map = null;
  let marker = null;
  let wanted = point;
  const showNote = (key) => {
    note.textContent = t(key);
    note.hidden = false;
  };

  const place = (latLon, pan) => {
    wanted = latLon;
    if (!map) return;
    if (!latLon) {
      if (marker) marker.remove();
      marker = null;
      return;
    }
    if (!marker) marker = window.L.marker(latLon, { keyboard: false, title: t('lokasi.marker') }).addTo(map);
    else marker.setLatLng(latLon);
    if (pan) map.panTo(latLon);
  };

  Promise.all([loadLeaflet(), probeTiles()]).then(([L, tilesOk]) => {
    if (!canvas.isConnected) return;
    map = L.map(canvas, {
      center: CENTER,
      zoom: ZOOM,
      minZoom: 6,
      maxZoom: 18,
      maxBounds: [[LAT_RANGE[0] - 0.5, LON_RANGE[0] - 0.5], [LAT_RANGE[1] + 0.5, LON_RANGE[1] + 0.5]],
    });
    map.attributionControl.setPrefix('Leaflet');
    if (tilesOk) {
      const layer = L.tileLayer(TILE_URL, {
        maxZoom: 18,
        attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
      });
      let loaded = 0;
      layer.on('tileload', () => { loaded += 1; });
      layer.on('tileerror', () => {
        if (!loaded) showNote('lokasi.noTiles');
      });
      layer.addTo(map);
    } else {
      canvas.classList.add('map-blank');
      showNote('lokasi.noTiles');
      L.rectangle([[LAT_RANGE[0], LON_RANGE[0]], [LAT_RANGE[1], LON_RANGE[1]]], {
        color: '#0b5c6b', weight: 1, fill: false, interactive: false,
      }).addTo(map);
      PLACES.forEach(([name, lat, lon]) => {
        L.circleMarker([lat, lon], { radius: 4, color: '#063f4a', weight: 2, interactive: false })
          .bindTooltip(name, { permanent: true, direction: 'right', className: 'map-place' })
          .addTo(map);
      });
    }
    map.on('click', (e) => {
      const lat = Number(e.latlng.lat.toFixed(6));
      const lon = Number(e.latlng.lng.toFixed(6));
      place([lat, lon], false);
      onPick(lat, lon);
    });
    if (wanted) place(wanted, true);
    // The page is drawn anew on every route change: let Leaflet go with it.
    window.addEventListener('hashchange', () => map.remove(), { once: true });
  }).catch(() => {
    if (!canvas.isConnected) return;
    canvas.hidden = true;
    hint.hidden = true;
    showNote('lokasi.noMap');
  });

  return {
    setPoint(lat, lon) {
      place(Number.isFinite(lat) && Number.isFinite(lon) && inKaltara(lat, lon) ? [lat, lon] : null, true);
    },
  };
}
