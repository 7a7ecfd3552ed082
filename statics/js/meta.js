import { get } from './api.js';

/**
 * The rules the API owns, read from GET /api/meta once per visit (app.js waits for it with
 * the session): the browser keeps no copy of its own. Every list is filled in place, so a
 * module that imported it sees the values.
 */

/** Residence (Data Pemohon, Data Perusahaan): [{ value, label | labelKey }], 'luar' last. */
export const KABUPATEN_KOTA = [];
/** The regencies of Kalimantan Utara (Lokasi Izin). */
export const KALTARA = [];
export const LEGAL_FORMS = [];
export const LAT_RANGE = [];
export const LON_RANGE = [];
export const UPLOAD = { maxBytes: 0, contentTypes: [] };
/** { nik: { pattern, provinceCodes, regionCodes }, npwp, nib, phone, email: { pattern } } */
export const IDENTIFIERS = {};

const OUTSIDE = 'luar';
const fill = (list, values) => list.splice(0, list.length, ...values);
const region = ({ code, name }) => (code === OUTSIDE ? { value: code, labelKey: 'kab.luar' } : { value: code, label: name });

function apply(meta) {
  fill(KABUPATEN_KOTA, meta.residence.map(region));
  fill(KALTARA, meta.kabupatenKota.map(region));
  fill(LEGAL_FORMS, meta.legalForms);
  fill(LAT_RANGE, [meta.latitude.min, meta.latitude.max]);
  fill(LON_RANGE, [meta.longitude.min, meta.longitude.max]);
  UPLOAD.maxBytes = meta.maxUploadBytes;
  UPLOAD.contentTypes = meta.uploadContentTypes;
  Object.assign(IDENTIFIERS, meta.identifiers);
}

let loading = null;

/** Resolves once the rules are known; a failed attempt is asked again on the next call. */
export function loadMeta() {
  if (!loading) {
    loading = get('/api/meta').then(apply).catch((err) => {
      loading = null;
      throw err;
    });
  }
  return loading;
}

/** Whether the value matches the API's pattern for that identifier (unknown rules: the API decides). */
export function matches(kind, value) {
  const rule = IDENTIFIERS[kind];
  return !rule || new RegExp(rule.pattern).test(value);
}
