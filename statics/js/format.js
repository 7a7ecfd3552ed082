import { getLang } from './i18n.js';

export const TIME_ZONE = 'Asia/Makassar';
export const TZ_LABEL = 'WITA';

const DATE_LOCALES = { id: 'id-ID', en: 'en-GB' };
const cache = new Map();

function formatter(kind, locale, options) {
  const key = `${kind}|${locale}`;
  if (!cache.has(key)) cache.set(key, new Intl.DateTimeFormat(locale, options));
  return cache.get(key);
}

/**
 * Accepts a Date, epoch milliseconds or an ISO 8601 string. Timestamps without an
 * offset are stored in UTC, so they are read as UTC.
 */
export function toDate(value) {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') {
    const s = value.trim();
    const hasTime = /T\d{2}:\d{2}/.test(s);
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s);
    return new Date(hasTime && !hasZone ? `${s}Z` : s);
  }
  return new Date(NaN);
}

function valid(d) {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

/** 28 November 2026 (calendar date in WITA). */
export function formatDate(value, lang = getLang()) {
  const d = toDate(value);
  if (!valid(d)) return '';
  const locale = DATE_LOCALES[lang] || DATE_LOCALES.id;
  return formatter('date', locale, {
    day: 'numeric', month: 'long', year: 'numeric', timeZone: TIME_ZONE,
  }).format(d);
}

/** A calendar date of WITA given as YYYY-MM-DD (deadlines, estimated finish): 4 Desember 2026. */
export function formatDay(value, lang = getLang()) {
  const text = String(value || '');
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? formatDate(`${text}T12:00:00+08:00`, lang) : formatDate(text, lang);
}

/** 16.30 WITA (24-hour clock, Asia/Makassar). */
export function formatTime(value, lang = getLang()) {
  const d = toDate(value);
  if (!valid(d)) return '';
  const parts = formatter('time', 'en-GB', {
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE,
  }).formatToParts(d);
  const hour = parts.find((p) => p.type === 'hour').value;
  const minute = parts.find((p) => p.type === 'minute').value;
  const sep = lang === 'en' ? ':' : '.';
  return `${hour}${sep}${minute} ${TZ_LABEL}`;
}

/** 28 November 2026, 16.30 WITA */
export function formatDateTime(value, lang = getLang()) {
  const date = formatDate(value, lang);
  return date ? `${date}, ${formatTime(value, lang)}` : '';
}

/** Numbers follow the language too: 1.234.567 and 12,5 in Indonesian, 1,234,567 and 12.5 in English. */
function numberFormat(maximumFractionDigits = 0, lang = getLang()) {
  const locale = DATE_LOCALES[lang] || DATE_LOCALES.id;
  const key = `number|${locale}|${maximumFractionDigits}`;
  if (!cache.has(key)) cache.set(key, new Intl.NumberFormat(locale, { maximumFractionDigits }));
  return cache.get(key);
}

/** 1.234.567 */
export function formatNumber(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  return numberFormat().format(n);
}

/** A decimal such as a coordinate: 2,8375 (id) or 2.8375 (en). */
export function formatDecimal(value, maximumFractionDigits = 6) {
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  return numberFormat(maximumFractionDigits).format(n);
}

/** Rp 150.000 (whole rupiah). */
export function formatMoney(value) {
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  const amount = numberFormat().format(Math.abs(Math.round(n)));
  return `${n < 0 ? '-' : ''}Rp ${amount}`;
}

/** "pdf","jpeg" -> "PDF, JPEG" */
export function formatFileTypes(types) {
  if (!Array.isArray(types)) return '';
  return types.map((x) => String(x).toUpperCase()).join(', ');
}


/** 12,5 KB or 1,2 MB (12.5 KB in English). */
export function formatSize(bytes) {
  const n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024 * 1024) return `${numberFormat(1).format(Math.max(n / 1024, n ? 0.1 : 0))} KB`;
  return `${numberFormat(1).format(n / (1024 * 1024))} MB`;
}

// The catalogue's units in English (numerators plural, "per" parts singular); others stay as written.
const UNITS_EN = {
  bulan: 'months', hari: 'day', tahun: 'year', jam: 'hour', orang: 'people', pelanggan: 'customers',
  rombel: 'study groups', 'tempat tidur': 'beds', titik: 'points', ton: 'tonnes',
  'ton bahan baku': 'tonnes of raw material', unit: 'units', PK: 'hp',
};

/** A catalogue unit in the reader's language: "ton/tahun" reads "tonnes/year" in English. */
export function unitText(unit, lang = getLang()) {
  const text = String(unit || '');
  if (!text || lang === 'id') return text;
  return text.split('/').map((part) => UNITS_EN[part.trim()] || part).join('/');
}
