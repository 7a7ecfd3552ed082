import { h, icon } from './dom.js';
import { t } from './i18n.js';

/** Coordinates as stored and shown: a dot as the decimal mark, at most 6 decimals (about 10 cm). */
export function coordinateText(n) {
  return String(Math.round(Number(n) * 1e6) / 1e6);
}

export function setLocation(latField, lonField, lat, lon) {
  latField.input.value = coordinateText(lat);
  lonField.input.value = coordinateText(lon);
}

const NUMBER = '(-?\\d{1,3}(?:[.,]\\d+)?)';
const PAIR = new RegExp(`^\\s*${NUMBER}\\s*[,;\\s]\\s*${NUMBER}\\s*$`);

/**
 * "2.8375, 117.3652" (as Google Maps copies it), "2,8375; 117,3652" or "2.8375 117.3652"
 * -> [2.8375, 117.3652]; null for anything else. Only a pair inside the ranges counts, so a
 * single "2,8375" is never read as the two numbers 2 and 8375.
 */
export function splitPair(value, latRange, lonRange) {
  const match = PAIR.exec(String(value || ''));
  if (!match) return null;
  const [lat, lon] = [match[1], match[2]].map((part) => Number(part.replace(',', '.')));
  const inside = (n, [min, max]) => Number.isFinite(n) && n >= min && n <= max;
  return inside(lat, latRange) && inside(lon, lonRange) ? [lat, lon] : null;
}

/** "Gunakan lokasi saya": the browser's geolocation fills the coordinates; `status` says what happened. */
export function useMyLocationButton(onLocated, status) {
  const button = h('button', { type: 'button', class: 'btn btn-secondary', 'data-action': 'lokasi-saya' },
    icon('map', 18), t('lokasi.useMyLocation'));
  if (!('geolocation' in navigator)) {
    button.hidden = true;
    return button;
  }
  button.addEventListener('click', () => {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    status.textContent = t('lokasi.locating');
    const done = () => {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    };
    navigator.geolocation.getCurrentPosition((position) => {
      done();
      onLocated(position.coords.latitude, position.coords.longitude);
      status.textContent = t('lokasi.located', { m: Math.max(1, Math.round(position.coords.accuracy || 0)) });
    }, () => {
      done();
      status.textContent = t('lokasi.geoFailed');
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });
  return button;
}
