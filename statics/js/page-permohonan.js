import { h, icon, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import { applicationsApi, newIdempotencyKey, SESSION_ENDED } from './api.js';
import { buildHash, go, replace } from './router.js';
import {
  showError, clearAlert, loading, confirmDialog, flash,
} from './ui.js';
import { currentUser } from './auth.js';
import {
  makeField, makeForm, rules, kabupatenOptions, digitsOnly, focusField,
} from './form.js';
import { stepIndicator } from './steps.js';
import {
  DATA_SECTIONS, LEGAL_FORMS, KALTARA, applicationSummary, choiceFacts, numberText, sectionRows,
} from './kelengkapan.js';
import { lampiranBlock } from './lampiran.js';
import {
  monitoringHash, perbaikanBox, perbaikanRequirements, perbaikanSections, permitActions, receiptHash,
} from './pengiriman.js';
import { mountMap, LAT_RANGE, LON_RANGE } from './peta.js';
import { formatDecimal, unitText } from './format.js';
import { setLocation, splitPair, useMyLocationButton } from './lokasi.js';

/**
 * Langkah 4 "Isi Kelengkapan" of one draft (manual C.2.1, Gambar 9-15), at
 * #/permohonan/<applicationId>?bagian=<sub-step>: Data Pemohon, Data Perusahaan,
 * Lokasi Izin, Data Detail with Lampiran Persyaratan, Validasi Data, then Tahap Akhir
 * with "Kirim". Each "Lanjut" saves its section (with the draft's version) before moving on.
 *
 * An application returned for perbaikan opens here too: the officer's notes on every
 * sub-step, only the listed sections and requirements editable (the others read-only and
 * locked), and "Kirim Ulang" on Tahap Akhir.
 */

const SUBSTEPS = ['pemohon', 'perusahaan', 'lokasi', 'detail', 'validasi', 'ringkasan'];

// The application as last answered, handed to the next sub-step so it draws at once.
let handoff = null;

const hashOf = (id, bagian, extra = {}) => buildHash(`/permohonan/${id}`, { bagian, ...extra });

function substepsOf(app) {
  const present = new Set((app.sections || []).map((s) => s.id));
  return SUBSTEPS.filter((id) => !DATA_SECTIONS.includes(id) || present.has(id));
}

function sectionOf(app, id) {
  return (app.sections || []).find((s) => s.id === id);
}

function hasData(app, id) {
  const data = (app.data || {})[id];
  return Boolean(data && Object.keys(data).length);
}

const inPerbaikan = (app) => app.status === 'perbaikan';

/** What is still missing; a perbaikan is sent again without a new declaration. */
function stillMissing(app) {
  const missing = (app.completeness || {}).missing || [];
  return inPerbaikan(app) ? missing.filter((m) => m.kind !== 'pernyataan') : missing;
}

const readyToSend = (app) => stillMissing(app).length === 0 && (inPerbaikan(app) || Boolean(app.declaration));

/** During a perbaikan: may this section be changed? (Always, in a draft.) */
function sectionOpen(app, id) {
  return !inPerbaikan(app) || perbaikanSections(app).includes(id);
}

/**
 * Where "Lanjutkan" resumes: the first required section still empty, else Validasi Data.
 * A perbaikan opens on the first thing to fix.
 */
function resumeAt(app) {
  if (inPerbaikan(app)) {
    const first = substepsOf(app).find((id) => DATA_SECTIONS.includes(id) && perbaikanSections(app).includes(id));
    if (first) return first;
    return perbaikanRequirements(app).length ? 'detail' : 'ringkasan';
  }
  const empty = substepsOf(app).find((id) => DATA_SECTIONS.includes(id) && sectionOf(app, id).required && !hasData(app, id));
  return empty || 'validasi';
}

function substepLabel(app, id) {
  if (id === 'detail') return t('bagian.detail');
  return t(`bagian.${id}`);
}

/** A tab is ticked only when its part is complete: Data Detail with every required attachment. */
function substepDone(app, id) {
  const missing = stillMissing(app);
  if (id === 'detail') return hasData(app, id) && !missing.some((m) => m.kind === 'persyaratan');
  if (DATA_SECTIONS.includes(id)) return hasData(app, id);
  if (id === 'validasi') return !missing.some((m) => m.kind !== 'pernyataan');
  return false;
}

function substepNav(app, current) {
  const steps = substepsOf(app);
  const list = h('ol', { class: 'substeps' });
  steps.forEach((id, i) => {
    const section = sectionOf(app, id);
    const done = substepDone(app, id);
    const optional = section && !section.required;
    const isCurrent = id === current;
    list.appendChild(h('li', { class: ['substep', isCurrent ? 'is-current' : '', done ? 'is-done' : ''] },
      h('a', {
        href: hashOf(app.applicationId, id),
        'aria-current': isCurrent ? 'step' : null,
        'data-bagian': id,
      },
      h('span', { class: 'substep-mark', 'aria-hidden': 'true' }, done ? icon('check', 14) : String(i + 1)),
      h('span', { class: 'substep-label' }, substepLabel(app, id),
        optional ? h('span', { class: 'substep-optional' }, ` ${t('form.optional')}`) : null,
        done ? h('span', { class: 'visually-hidden' }, ` ${t('wizard.stepDone')}`) : null,
        perbaikanMark(app, id)))));
  });
  return h('nav', { class: 'substeps-nav', 'aria-label': t('kelengkapan.nav') }, list);
}

/** In a perbaikan, the sub-steps say which are to fix and which are locked. */
function perbaikanMark(app, id) {
  if (!inPerbaikan(app) || !DATA_SECTIONS.includes(id)) return null;
  const toFix = perbaikanSections(app).includes(id) || (id === 'detail' && perbaikanRequirements(app).length > 0);
  return h('span', { class: `substep-flag ${toFix ? 'is-to-fix' : 'is-locked'}` },
    ` · ${t(toFix ? 'perbaikan.fixBadge' : 'perbaikan.lockedBadge')}`);
}

/* ---------- values ---------- */

const text = (v) => String(v === null || v === undefined ? '' : v).trim();

/** "12,5" or "12.5" -> 12.5; Indonesian thousands dots ("1.250") are read as such. */
export function parseDecimal(value) {
  let v = text(value).replace(/\s/g, '');
  if (!v) return NaN;
  if (v.includes(',')) v = v.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d{1,3}(\.\d{3})+$/.test(v)) v = v.replace(/\./g, '');
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
}

function parseInteger(value) {
  const v = text(value).replace(/[\s.]/g, '');
  return /^-?\d+$/.test(v) ? Number(v) : NaN;
}

/** Coordinates: a dot or a comma as the decimal mark. */
function parseCoordinate(value) {
  const v = text(value).replace(/\s/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
}

const lengthCheck = (min, max) => (v) => {
  const n = text(v).length;
  if (!n) return t('v.required');
  if (n < min) return t('v.minChars', { n: min });
  if (n > max) return t('v.maxChars', { n: max });
  return '';
};

/* ---------- the fixed sections ---------- */

const BADAN_USAHA = 'badan_usaha';

/** Perorangan or badan usaha, asked once where the permit allows both (the API checks it too). */
function applyingAsField() {
  return makeField({
    name: 'applyingAs',
    label: t('pemohon.applyingAs'),
    hint: t('pemohon.applyingAsHint'),
    control: 'select',
    options: [{ value: 'perorangan', label: t('pemohon.perorangan') }, { value: BADAN_USAHA, label: t('pemohon.badanUsaha') }],
    check: (v) => (text(v) ? '' : t('v.applyingAs')),
    wide: true,
  });
}

function pemohonFields(app) {
  return [
    app.company === 'optional' ? applyingAsField() : null,
    makeField({
      name: 'nik', label: t('f.nik'), hint: t('pemohon.nikHint'), readonly: true, inputmode: 'numeric',
    }),
    makeField({ name: 'name', label: t('f.name'), autocomplete: 'name', check: rules.name, attrs: { maxlength: 100 } }),
    makeField({
      name: 'email', label: t('f.email'), type: 'email', autocomplete: 'email', check: rules.email,
      attrs: { maxlength: 254, spellcheck: 'false', autocapitalize: 'none' },
    }),
    makeField({
      name: 'phone', label: t('f.phone'), type: 'tel', autocomplete: 'tel', inputmode: 'tel',
      hint: t('f.phoneHint'), check: rules.phone, attrs: { maxlength: 20 },
    }),
    makeField({
      name: 'occupation', label: t('pemohon.occupation'), hint: t('pemohon.occupationHint'),
      autocomplete: 'organization-title', check: lengthCheck(2, 150), attrs: { maxlength: 150 },
    }),
    app.company === 'none' ? null : makeField({
      name: 'position', label: t('pemohon.position'), hint: t('pemohon.positionHint'), optional: true,
      check: (v, values) => (asBusiness(app, values) ? lengthCheck(1, 100)(v) : ''), attrs: { maxlength: 100 },
    }),
    makeField({
      name: 'npwp', label: t('f.npwp'), optional: true, inputmode: 'numeric', hint: t('f.npwpHint'),
      check: rules.npwp, attrs: { maxlength: 24 },
    }),
    makeField({
      name: 'kabupatenKota', label: t('f.kabupatenKota'), control: 'select', options: kabupatenOptions(),
      check: rules.required,
    }),
    makeField({
      name: 'address', label: t('f.address'), control: 'textarea', autocomplete: 'street-address',
      hint: t('f.addressHint'), check: rules.address, wide: true, attrs: { maxlength: 300 },
    }),
  ].filter(Boolean);
}

const asBusiness = (app, values) => app.company === 'required' || (app.company === 'optional' && values.applyingAs === BADAN_USAHA);

function pemohonData(v, app) {
  const data = {
    nik: digitsOnly(v.nik),
    name: text(v.name),
    email: text(v.email),
    phone: text(v.phone),
    address: text(v.address),
    kabupatenKota: v.kabupatenKota,
    occupation: text(v.occupation),
  };
  if (app.company === 'optional') data.applyingAs = v.applyingAs;
  if (asBusiness(app, v) && text(v.position)) data.position = text(v.position);
  if (text(v.npwp)) data.npwp = digitsOnly(v.npwp);
  return data;
}

function perusahaanFields() {
  return [
    makeField({
      name: 'companyName', label: t('perusahaan.name'), autocomplete: 'organization',
      check: lengthCheck(2, 150), attrs: { maxlength: 150 },
    }),
    makeField({
      name: 'legalForm', label: t('perusahaan.legalForm'), control: 'select',
      options: LEGAL_FORMS.map((f) => ({ value: f, label: t(`legal.${f}`) })), check: rules.required,
    }),
    makeField({
      name: 'npwp', label: t('perusahaan.npwp'), inputmode: 'numeric', hint: t('f.npwpHint'),
      check: (v) => rules.required(v) || rules.npwp(v), attrs: { maxlength: 24 },
    }),
    makeField({
      name: 'nib', label: t('f.nib'), inputmode: 'numeric', hint: t('f.nibHint'),
      check: (v) => rules.required(v) || rules.nib(v), attrs: { maxlength: 20 },
    }),
    makeField({
      name: 'phone', label: t('perusahaan.phone'), type: 'tel', inputmode: 'tel', optional: true,
      check: (v) => (/^\+?[\d\s\-().]{6,20}$/.test(text(v)) ? '' : t('v.phoneOffice')), attrs: { maxlength: 20 },
    }),
    makeField({
      name: 'email', label: t('perusahaan.email'), type: 'email', optional: true, check: rules.email,
      attrs: { maxlength: 254, spellcheck: 'false', autocapitalize: 'none' },
    }),
    makeField({
      name: 'kabupatenKota', label: t('f.kabupatenKota'), control: 'select', options: kabupatenOptions(),
      check: rules.required,
    }),
    makeField({
      name: 'address', label: t('perusahaan.address'), control: 'textarea', check: rules.address, wide: true,
      attrs: { maxlength: 300 },
    }),
  ];
}

function perusahaanData(v) {
  const data = {
    companyName: text(v.companyName),
    legalForm: v.legalForm,
    npwp: digitsOnly(v.npwp),
    nib: digitsOnly(v.nib),
    address: text(v.address),
    kabupatenKota: v.kabupatenKota,
  };
  if (text(v.phone)) data.phone = text(v.phone);
  if (text(v.email)) data.email = text(v.email);
  return data;
}

function coordinateCheck(which) {
  const [min, max] = which === 'latitude' ? LAT_RANGE : LON_RANGE;
  const other = which === 'latitude' ? 'longitude' : 'latitude';
  return (v, values) => {
    const n = parseCoordinate(v);
    if (!Number.isFinite(n)) return t('v.coordinate');
    if (n < min || n > max) return t(`v.${which}Range`, { min: formatDecimal(min), max: formatDecimal(max) });
    if (!text(values[other])) return t(`v.${other}Too`);
    return '';
  };
}

function lokasiFields() {
  return [
    makeField({
      name: 'kabupatenKota', label: t('f.kabupatenKota'), hint: t('lokasi.kabHint'), control: 'select',
      options: KALTARA.map((k) => ({ value: k.value, label: k.label })), check: rules.required,
    }),
    makeField({ name: 'kecamatan', label: t('lokasi.kecamatan'), check: lengthCheck(2, 150), attrs: { maxlength: 150 } }),
    makeField({ name: 'desaKelurahan', label: t('lokasi.desa'), check: lengthCheck(2, 150), attrs: { maxlength: 150 } }),
    makeField({
      name: 'address', label: t('lokasi.address'), hint: t('lokasi.addressHint'), control: 'textarea',
      check: rules.address, wide: true, attrs: { maxlength: 300 },
    }),
    makeField({
      name: 'latitude', label: t('lokasi.latitude'), hint: t('lokasi.latitudeHint'), optional: true,
      inputmode: 'decimal', check: coordinateCheck('latitude'), attrs: { maxlength: 20 },
    }),
    makeField({
      name: 'longitude', label: t('lokasi.longitude'), hint: t('lokasi.longitudeHint'), optional: true,
      inputmode: 'decimal', check: coordinateCheck('longitude'), attrs: { maxlength: 20 },
    }),
  ];
}

function lokasiData(v) {
  const data = {
    kabupatenKota: v.kabupatenKota,
    kecamatan: text(v.kecamatan),
    desaKelurahan: text(v.desaKelurahan),
    address: text(v.address),
  };
  if (text(v.latitude) && text(v.longitude)) {
    data.latitude = parseCoordinate(v.latitude);
    data.longitude = parseCoordinate(v.longitude);
  }
  return data;
}

/* ---------- Data Detail: the permit's own fields ---------- */

function rangeHint(f) {
  const unit = f.unit ? ` ${unitText(f.unit)}` : '';
  const fmt = (n) => numberText(n);
  if (f.min !== null && f.min !== undefined && f.max !== null && f.max !== undefined) {
    return t('detail.range', { min: fmt(f.min), max: fmt(f.max), unit });
  }
  if (f.min !== null && f.min !== undefined) return t('detail.min', { min: fmt(f.min), unit });
  if (f.max !== null && f.max !== undefined) return t('detail.max', { max: fmt(f.max), unit });
  return '';
}

function detailCheck(f) {
  const unit = f.unit ? ` ${unitText(f.unit)}` : '';
  return (v) => {
    if (!text(v)) return f.required ? t('v.required') : '';
    if (f.type === 'integer' || f.type === 'number') {
      const n = f.type === 'integer' ? parseInteger(v) : parseDecimal(v);
      if (!Number.isFinite(n)) return t(f.type === 'integer' ? 'v.integer' : 'v.number');
      if (f.min !== null && f.min !== undefined && n < f.min) return t('v.min', { min: numberText(f.min), unit });
      if (f.max !== null && f.max !== undefined && n > f.max) return t('v.max', { max: numberText(f.max), unit });
    }
    if (f.type === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text(v))) return t('v.date');
    if ((f.type === 'text' || f.type === 'textarea') && f.maxLength && text(v).length > f.maxLength) {
      return t('v.maxChars', { n: f.maxLength });
    }
    return '';
  };
}

function detailField(f) {
  const hints = [f.help, rangeHint(f), f.type === 'number' ? t('detail.decimalHint') : ''].filter(Boolean);
  const base = {
    name: f.id,
    label: f.unit ? `${f.label} (${unitText(f.unit)})` : f.label,
    optional: !f.required,
    hint: hints.join(' ') || null,
    check: detailCheck(f),
  };
  switch (f.type) {
    case 'textarea':
      return makeField({ ...base, control: 'textarea', wide: true, attrs: { maxlength: f.maxLength || null } });
    case 'integer':
      return makeField({ ...base, inputmode: 'numeric', attrs: { maxlength: 20 } });
    case 'number':
      return makeField({ ...base, inputmode: 'decimal', attrs: { maxlength: 24 } });
    case 'date':
      return makeField({ ...base, type: 'date', attrs: { min: '1900-01-01', max: '2100-12-31' } });
    case 'select':
      return makeField({ ...base, control: 'select', options: (f.options || []).map((o) => ({ value: o, label: o })) });
    case 'boolean':
      return makeField({
        ...base, control: 'select', options: [{ value: 'true', label: t('bool.ya') }, { value: 'false', label: t('bool.tidak') }],
      });
    default:
      return makeField({ ...base, attrs: { maxlength: f.maxLength || null } });
  }
}

function detailValues(app, data) {
  const out = {};
  (app.detailFields || []).forEach((f) => {
    const v = data[f.id];
    if (v === null || v === undefined) return;
    if (f.type === 'boolean') out[f.id] = v ? 'true' : 'false';
    else if (f.type === 'integer' || f.type === 'number') out[f.id] = numberText(v);
    else out[f.id] = String(v);
  });
  return out;
}

function detailData(app, v) {
  const data = {};
  (app.detailFields || []).forEach((f) => {
    const value = text(v[f.id]);
    if (!value) return;
    if (f.type === 'integer') data[f.id] = parseInteger(value);
    else if (f.type === 'number') data[f.id] = parseDecimal(value);
    else if (f.type === 'boolean') data[f.id] = value === 'true';
    else data[f.id] = value;
  });
  return data;
}

function formValues(data) {
  const out = {};
  Object.entries(data || {}).forEach(([k, v]) => {
    if (v !== null && v !== undefined) out[k] = String(v);
  });
  return out;
}

/* ---------- drawing one sub-step ---------- */

function actionButton(label, variant, onclick, extra = {}) {
  return h('button', { type: 'button', class: `btn btn-${variant}`, onclick, ...extra }, label);
}

/**
 * After each Lanjut (or Kembali, or a tab) the section itself comes into view, not the page
 * title, step bar and tabs above it; this runs after the router has scrolled to the top.
 */
function focusHeading(panel) {
  const heading = panel.querySelector('[data-focus]');
  if (!heading) return;
  window.requestAnimationFrame(() => {
    if (!heading.isConnected) return;
    // On a phone the tabs are one scrolling row: the current one is brought into it.
    const row = panel.querySelector('.substeps-nav');
    const current = row && row.querySelector('[aria-current="step"]');
    if (current) row.scrollLeft += current.getBoundingClientRect().left - row.getBoundingClientRect().left - 16;
    const active = document.activeElement;
    const page = document.getElementById('page');
    if (!active || active === document.body || (page && page.querySelector('h1') === active)) {
      heading.scrollIntoView({ block: 'start' });
      heading.focus({ preventScroll: true });
    }
  });
}

/**
 * A section's form. Saved data (or the prefill) fills it, then anything typed earlier in
 * this tab is put back. "Lanjut" saves with the draft's version and moves on.
 */
function sectionForm(panel, ctx, state, sectionId, next, prev) {
  const { app } = state;
  const user = currentUser();
  const section = sectionOf(app, sectionId);
  const optional = section && !section.required;
  const saved = (app.data || {})[sectionId];
  const prefill = (app.prefill || {})[sectionId];

  const fields = {
    pemohon: () => pemohonFields(app),
    perusahaan: perusahaanFields,
    lokasi: lokasiFields,
    detail: () => (app.detailFields || []).map(detailField),
  }[sectionId]();
  const toData = {
    pemohon: (v) => pemohonData(v, app),
    perusahaan: perusahaanData,
    lokasi: lokasiData,
    detail: (v) => detailData(state.app, v),
  }[sectionId];

  const note = h('div', { class: 'form-note', role: 'status' });
  const form = makeForm({
    name: `section-${sectionId}`,
    draftKey: `/permohonan/${app.applicationId}/${sectionId}`,
    owner: (user && user.username) || '',
    submitLabel: t('btn.lanjut'),
    busyLabel: t('form.saving'),
    async onSubmit(values) {
      const empty = fields.every((f) => f.spec.readonly || !text(values[f.name]));
      if (optional && empty && !hasData(state.app, sectionId)) {
        form.dropDraft();
        handoff = state.app;
        go(hashOf(app.applicationId, next));
        return;
      }
      let answer;
      try {
        answer = await applicationsApi.saveSection(app.applicationId, sectionId, state.app.version, toData(values));
      } catch (err) {
        if (!form.el.isConnected) return;
        failedSave(err, form, ctx);
        return;
      }
      state.app = answer;
      form.dropDraft();
      handoff = answer;
      // The answer decides what comes next: a person has no Data Perusahaan.
      const after = substepsOf(answer);
      const following = after[after.indexOf(sectionId) + 1] || next;
      if (form.el.isConnected) go(hashOf(app.applicationId, following));
    },
  });
  // A field that an optional section leaves empty is not an error; a half-filled section is.
  if (optional) {
    const validate = form.validate;
    form.validate = () => {
      const values = form.values();
      const empty = fields.every((f) => f.spec.readonly || !text(values[f.name]));
      if (empty) {
        form.clearErrors();
        return true;
      }
      return validate();
    };
  }
  form.el.classList.add('form-columns');
  form.el.setAttribute('data-testid', `section-${sectionId}`);
  form.actions.classList.add('wizard-actions');
  form.submit.setAttribute('data-action', 'lanjut');
  if (prev) {
    form.actions.prepend(actionButton(t('btn.kembali'), 'secondary', () => {
      form.saveDraft();
      handoff = state.app;
      go(hashOf(app.applicationId, prev));
    }, { 'data-action': 'kembali' }));
  }

  let map = null;
  let syncMap = () => {};
  if (sectionId === 'lokasi') {
    const [kab, kec, desa, addr, lat, lon] = fields;
    const mapHost = h('div', { class: 'map-block field-wide' });
    form.add(kab, kec, desa, addr, mapHost, lat, lon);
    const point = () => [parseCoordinate(lat.input.value), parseCoordinate(lon.input.value)];
    const place = (a, b) => {
      setLocation(lat, lon, a, b);
      // A point outside Kalimantan Utara is pointed out at once, next to the coordinates.
      const values = form.values();
      lat.setError(lat.check(values));
      lon.setError(lon.check(values));
      form.saveDraft();
    };
    map = mountMap(mapHost, { onPick: place });
    syncMap = () => map.setPoint(...point());
    const coordNote = h('p', { class: 'hint coord-note', role: 'status', 'data-testid': 'koordinat-status' });
    // A pair pasted from Google Maps ("2.8375, 117.3652") goes to both fields.
    [lat, lon].forEach((f) => f.input.addEventListener('change', () => {
      const pair = splitPair(f.input.value, LAT_RANGE, LON_RANGE);
      if (pair) {
        place(...pair);
        coordNote.textContent = t('lokasi.pairPasted');
      }
      syncMap();
    }));
    mapHost.append(useMyLocationButton((a, b) => {
      place(a, b);
      syncMap();
    }, coordNote), coordNote);
  } else {
    form.add(...fields);
  }

  const start = saved && Object.keys(saved).length ? saved : (prefill || {});
  const startValues = sectionId === 'detail' ? detailValues(app, start) : formValues(start);
  if (sectionId === 'pemohon') {
    // The NIK is always the account's own.
    startValues.nik = (saved && saved.nik) || (prefill && prefill.nik) || (user && user.username) || '';
  }
  form.setValues(startValues);
  if (form.restoreDraft()) {
    note.replaceChildren(
      h('p', null, t('kelengkapan.restored')),
      actionButton(t('profile.discard'), 'secondary', () => {
        form.dropDraft();
        form.clearErrors();
        fields.forEach((f) => { if (!f.spec.readonly) f.input.value = ''; });
        form.setValues(startValues);
        syncMap();
        note.replaceChildren();
      }));
  }
  syncMap();

  if (sectionId === 'pemohon') showWhatApplies(form, app);
  const prefilledDetail = sectionId === 'detail' && !(saved && Object.keys(saved).length)
    && Object.keys(prefill || {}).length > 0;

  const intro = {
    pemohon: 'pemohon.help',
    perusahaan: optional ? 'perusahaan.helpOptional' : 'perusahaan.help',
    lokasi: 'lokasi.help',
    detail: 'detail.help',
  }[sectionId];
  panel.append(
    h('p', { class: 'step-help' }, t(intro)),
    app.company === 'required' && sectionId === 'pemohon' ? h('p', { class: 'hint' }, t('pemohon.fixedBadanUsaha')) : null,
    prefilledDetail ? h('p', { class: 'hint', 'data-testid': 'detail-dari-lokasi' }, t('detail.prefilled')) : null,
    h('p', { class: 'form-required-note' }, t('form.requiredNote')),
    note,
    form.el);
  return form;
}

/** Data Pemohon shows Jabatan only to someone applying for a badan usaha. */
function showWhatApplies(form, app) {
  const chooser = form.field('applyingAs');
  const position = form.field('position');
  if (!position) return;
  const update = () => {
    const business = asBusiness(app, form.values());
    position.wrap.hidden = !business;
    if (!business) position.setError('');
  };
  if (chooser) chooser.input.addEventListener('change', update);
  update();
}

/** A refused save: the input stays (on screen and in this tab); the message says what to do. */
function failedSave(err, form, ctx) {
  if (!err || err.kind === SESSION_ENDED) return;
  form.saveDraft();
  if (err.code === 'VERSI_USANG') {
    showError(err, {
      retry: () => {
        handoff = null;
        ctx.retry();
      },
      retryLabel: t('btn.muatUlang'),
      hint: t('kelengkapan.staleHint'),
    });
    return;
  }
  const name = err.field && err.field.startsWith('data.') ? err.field.slice(5) : err.field;
  if (name && form.setError(name, err.message)) {
    focusField(form.field(name));
    return;
  }
  showError(err, { hint: t('kelengkapan.keptHint') });
}

/**
 * A section the perbaikan does not ask about: its saved values, read-only, and the way on.
 * Returns the element that holds the Kembali / Lanjut buttons.
 */
function lockedSection(panel, state, sectionId, next, prev) {
  const { app } = state;
  const actions = h('div', { class: 'wizard-actions' },
    prev ? actionButton(t('btn.kembali'), 'secondary', () => {
      handoff = state.app;
      go(hashOf(app.applicationId, prev));
    }, { 'data-action': 'kembali' }) : null,
    actionButton(t('btn.lanjut'), 'primary', () => {
      handoff = state.app;
      go(hashOf(app.applicationId, next));
    }, { 'data-action': 'lanjut' }));
  panel.append(
    h('p', { class: 'locked-note', 'data-testid': 'bagian-terkunci' }, icon('lock', 18), h('span', null, t('perbaikan.locked'))),
    h('div', { class: 'summary-block', 'data-testid': `terkunci-${sectionId}` },
      h('dl', { class: 'data-list' }, sectionRows(app, sectionId).map(([label, value]) => h('div', { class: 'data-row' },
        h('dt', null, label), h('dd', null, value || h('span', { class: 'muted' }, '–')))))));
  return actions;
}

function detailStep(panel, ctx, state) {
  const { app } = state;
  const canChange = inPerbaikan(app) ? (reqId) => perbaikanRequirements(app).includes(reqId) : null;
  let form = null;
  const block = lampiranBlock(state, {
    canChange,
    // The tabs follow the attachments (Data Detail is ticked once every required one is there).
    onChange: (changed) => {
      handoff = changed;
      const nav = panel.querySelector('.substeps-nav');
      if (nav) nav.replaceWith(substepNav(changed, 'detail'));
    },
    // What is typed in Data Detail survives an upload, even a reload during one.
    beforeUpload: () => { if (form) form.saveDraft(); },
  });
  if (sectionOpen(app, 'detail')) {
    form = sectionForm(panel, ctx, state, 'detail', 'validasi', 'lokasi');
    form.el.insertBefore(block.el, form.actions);
  } else {
    const actions = lockedSection(panel, state, 'detail', 'validasi', 'lokasi');
    panel.append(block.el, actions);
  }
  const focus = ctx.params.get('fokus');
  if (focus) {
    const target = block.el.querySelector(`[data-testid="lampiran-${CSS.escape(focus)}"]`);
    if (target) {
      target.scrollIntoView({ block: 'center' });
      target.focus({ preventScroll: true });
    }
  }
}

function missingLink(app, item) {
  if (item.kind === 'section') return hashOf(app.applicationId, item.id);
  if (item.kind === 'persyaratan') return hashOf(app.applicationId, 'detail', { fokus: item.id });
  return '';
}

/**
 * The declaration (Gambar 14's check box): given on the last screen, after the summary and
 * right before Kirim. `onChange(app)` redraws what depends on it.
 */
function declarationBox(ctx, state, onChange) {
  const checkboxId = 'pernyataan';
  const reasonId = 'pernyataan-reason';
  const box = h('input', {
    type: 'checkbox', id: checkboxId, class: 'checkbox', 'data-testid': 'pernyataan', 'aria-describedby': reasonId,
  });
  const reason = h('p', { id: reasonId, class: 'hint pernyataan-reason' });
  const saving = h('p', { class: 'pernyataan-status', role: 'status' });
  const draw = () => {
    const { app } = state;
    const missing = ((app.completeness || {}).missing || []).filter((m) => m.kind !== 'pernyataan');
    box.checked = Boolean(app.declaration);
    box.disabled = missing.length > 0;
    reason.textContent = missing.length ? t('validasi.reason') : t('validasi.ready');
  };

  let busy = false;
  box.addEventListener('change', async () => {
    if (busy) return;
    busy = true;
    const agreed = box.checked;
    box.disabled = true;
    clearAlert();
    saving.textContent = t('form.saving');
    try {
      state.app = await applicationsApi.declare(state.app.applicationId, state.app.version, agreed);
      handoff = state.app;
      saving.textContent = agreed ? t('validasi.agreed') : t('validasi.notAgreed');
      onChange(state.app);
    } catch (err) {
      saving.textContent = '';
      if (err.kind !== SESSION_ENDED) {
        showError(err, err.code === 'VERSI_USANG'
          ? { retry: () => { handoff = null; ctx.retry(); }, retryLabel: t('btn.muatUlang'), hint: t('validasi.staleHint') }
          : {});
      }
    } finally {
      busy = false;
      if (box.isConnected) draw();
    }
  });

  draw();
  return h('section', { class: 'pernyataan', 'aria-labelledby': 'pernyataan-heading', 'data-testid': 'pernyataan-box' },
    h('h3', { id: 'pernyataan-heading' }, t('ringkasan.declareHeading')),
    h('div', { class: 'check-row' }, box, h('label', { for: checkboxId }, t('validasi.pernyataan'))),
    reason,
    saving);
}

/** Validasi Data (Gambar 14): what is still missing, each with the way to it. */
function validasiStep(panel, ctx, state) {
  const host = h('section', { class: 'checklist', 'data-testid': 'checklist', 'aria-labelledby': 'checklist-heading' });
  const note = h('p', { class: 'step-note', role: 'status' });
  panel.append(h('p', { class: 'step-help' }, t('validasi.help')), host, note);
  const { app } = state;
  const missing = stillMissing(app).filter((m) => m.kind !== 'pernyataan');
  const list = h('ul', { class: 'missing-list', 'data-testid': 'missing-list', hidden: !missing.length },
    missing.map((m) => h('li', { class: 'missing-item', 'data-kind': m.kind, 'data-id': m.id },
      h('span', { class: 'missing-icon' }, icon('alert', 18)),
      h('span', { class: 'missing-text' }, m.message),
      missingLink(app, m) ? h('a', { href: missingLink(app, m), class: 'missing-link' },
        t('validasi.fix'), h('span', { class: 'visually-hidden' }, `: ${m.message}`)) : null)));
  const allDone = h('p', { class: 'all-done', 'data-testid': 'lengkap', hidden: missing.length > 0 },
    icon('check', 20), h('span', null, t('validasi.allDone')));
  const count = h('h3', { id: 'checklist-heading', tabindex: '-1' },
    missing.length ? t('validasi.missing', { n: missing.length }) : t('validasi.heading'));
  host.append(count, list, allDone);

  panel.appendChild(h('div', { class: 'wizard-actions' },
    actionButton(t('btn.kembali'), 'secondary', () => {
      handoff = state.app;
      go(hashOf(state.app.applicationId, 'detail'));
    }, { 'data-action': 'kembali' }),
    actionButton(t('btn.lanjut'), 'primary', () => {
      if (stillMissing(state.app).some((m) => m.kind !== 'pernyataan')) {
        note.textContent = t('validasi.notYet');
        (list.querySelector('a') || count).focus();
        return;
      }
      handoff = state.app;
      go(hashOf(state.app.applicationId, 'ringkasan'));
    }, { 'data-action': 'lanjut' })));
}

// Idempotency-Key per application, version and action: made at the first attempt, sent
// again on a retry (a lost answer, a double tap), dropped once the server has answered.
const sendKeys = new Map();

/**
 * "Kirim" (or "Kirim Ulang" of a perbaikan) after a confirmation: one request however often
 * it is tapped, the same key on a retry; then the receipt (or Monitoring Izin).
 */
async function send(ctx, state, button, status) {
  if (button.getAttribute('aria-busy') === 'true') return;
  const { app } = state;
  const again = inPerbaikan(app);
  button.setAttribute('aria-busy', 'true');
  button.disabled = true;
  const keyOf = `${app.applicationId}:${app.version}:${again ? 'resubmit' : 'submit'}`;
  let answer = null;
  let failure = null;
  const confirmed = await confirmDialog({
    title: t(again ? 'kirimUlang.title' : 'kirim.title'),
    body: t(again ? 'kirimUlang.body' : 'kirim.body', { name: app.izin.name }),
    confirmText: t(again ? 'kirimUlang.confirm' : 'kirim.confirm'),
    cancelText: t('kirim.stay'),
    confirmClass: 'btn-primary',
    testId: 'konfirmasi-kirim',
    busyText: t(again ? 'kirimUlang.sending' : 'kirim.sending'),
    async onConfirm() {
      if (!sendKeys.has(keyOf)) sendKeys.set(keyOf, newIdempotencyKey());
      clearAlert();
      status.textContent = t(again ? 'kirimUlang.sending' : 'kirim.sending');
      try {
        const call = again ? applicationsApi.resubmit : applicationsApi.submit;
        answer = await call(app.applicationId, app.version, sendKeys.get(keyOf));
      } catch (err) {
        failure = err;
      }
    },
  });
  button.removeAttribute('aria-busy');
  button.disabled = false;
  status.textContent = '';
  if (!confirmed) {
    if (button.isConnected) button.focus();
    return;
  }
  if (failure) {
    const err = failure;
    // A refusal is final for this key; a lost answer or a request still running is retried with it.
    const retryable = err.kind !== 'http' || err.status >= 500 || err.status === 429
      || err.code === 'PERMINTAAN_SEDANG_DIPROSES';
    if (!retryable) sendKeys.delete(keyOf);
    if (err.kind === SESSION_ENDED || !button.isConnected) return;
    if (err.status === 409 && !retryable) {
      showError(err, {
        retry: () => { handoff = null; ctx.retry(); }, retryLabel: t('btn.muatUlang'), hint: t('kirim.staleHint'),
      });
    } else if (err.status === 422) {
      showError(err, {
        hint: t('kirim.incompleteHint'),
        links: [{ href: hashOf(app.applicationId, 'validasi'), text: t('kirim.toValidasi') }],
      });
    } else {
      showError(err, { hint: t(again ? 'kirimUlang.failedHint' : 'kirim.failedHint') });
    }
    button.focus();
    return;
  }
  sendKeys.delete(keyOf);
  if (again) {
    flash(t('kirimUlang.done', { name: app.izin.name }));
    go(monitoringHash(answer.receiptNumber || app.receiptNumber));
  } else {
    go(`${receiptHash(app.applicationId)}?baru=1`);
  }
}

/** The last screen (Gambar 15): everything at a glance, then "Kirim" (or "Kirim Ulang"). */
function ringkasanStep(panel, ctx, state) {
  const { app } = state;
  const again = inPerbaikan(app);
  const noteId = 'kirim-note';
  const ready = readyToSend(app);
  const editLink = (id) => {
    const open = sectionOpen(app, id) || (id === 'detail' && perbaikanRequirements(app).length > 0);
    return open ? hashOf(app.applicationId, id) : null;
  };
  const review = h('div', { class: 'review', 'data-testid': 'review' }, applicationSummary(app, { editLink }));
  const status = h('p', { class: 'kirim-status', role: 'status' });
  const kirim = h('button', {
    type: 'button', class: 'btn btn-primary', disabled: !ready, 'aria-describedby': noteId, 'data-action': 'kirim',
  }, t(again ? 'btn.kirimUlang' : 'btn.kirim'));
  kirim.addEventListener('click', () => send(ctx, state, kirim, status));
  const [readyNote, notReadyNote] = again
    ? ['perbaikan.kirimNote', 'perbaikan.notReadyNote'] : ['kirim.readyNote', 'kirim.notReadyNote'];
  const noteText = h('span');
  const showReady = () => {
    const now = readyToSend(state.app);
    kirim.disabled = !now;
    replaceChildren(noteText, t(now ? readyNote : notReadyNote),
      now || !stillMissing(state.app).some((m) => m.kind !== 'pernyataan')
        ? null : [' ', h('a', { href: hashOf(app.applicationId, 'validasi') }, t('kirim.toValidasi'))]);
  };
  showReady();
  panel.append(
    h('p', { class: 'step-help' }, t('ringkasan.help')),
    review,
    // The summary first, then the declaration, then Kirim (a perbaikan is sent again without one).
    again ? null : declarationBox(ctx, state, showReady),
    h('div', { class: 'kirim-note', id: noteId, 'data-testid': 'kirim-note' }, icon('info', 18), noteText),
    status,
    h('div', { class: 'wizard-actions' },
      actionButton(t('btn.kembali'), 'secondary', () => {
        handoff = state.app;
        go(hashOf(app.applicationId, 'lokasi')); // as the manual says (Gambar 15)
      }, { 'data-action': 'kembali' }),
      kirim));
}

function draw(panel, ctx, state, bagian) {
  const { app } = state;
  const steps = substepsOf(app);
  const index = steps.indexOf(bagian);
  const prev = index > 0 ? steps[index - 1] : null;
  const next = steps[index + 1] || null;
  const headingText = bagian === 'detail' ? t('bagian.detailHeading') : substepLabel(app, bagian);
  const section = sectionOf(app, bagian);
  ctx.setTitle(`${headingText} · ${t('step4.heading')}`);

  replaceChildren(panel,
    h('p', { class: 'step-kicker' }, t('step4.heading')),
    h('div', { class: 'summary summary-compact' }, choiceFacts(app)),
    inPerbaikan(app) ? perbaikanBox(app, {
      headingLevel: 2,
      linkFor: (kind, id) => (kind === 'section' ? hashOf(app.applicationId, id) : hashOf(app.applicationId, 'detail', { fokus: id })),
      extra: h('p', null, t('perbaikan.only')),
    }) : null,
    substepNav(app, bagian),
    h('h2', { id: 'bagian-heading', tabindex: '-1', 'data-focus': '' }, headingText,
      section && !section.required ? h('span', { class: 'label-optional' }, ` ${t('form.optional')}`) : null));

  if (bagian === 'validasi') validasiStep(panel, ctx, state);
  else if (bagian === 'ringkasan') ringkasanStep(panel, ctx, state);
  else if (bagian === 'detail') detailStep(panel, ctx, state);
  else if (!sectionOpen(app, bagian)) panel.appendChild(lockedSection(panel, state, bagian, next, prev));
  else sectionForm(panel, ctx, state, bagian, next, prev);
  focusHeading(panel);
}

export function renderPermohonan(root, ctx) {
  const { id } = ctx.pathParams;
  // On a phone the title and step bar fold into one line (app.css), leaving the screen to the form.
  root.append(h('div', { class: 'kelengkapan-head' },
    h('h1', { tabindex: '-1' }, t('wizard.title')),
    stepIndicator(4)));
  const panel = h('section', { class: 'wizard-panel kelengkapan', 'aria-labelledby': 'bagian-heading' },
    loading(t('kelengkapan.loading')));
  root.appendChild(panel);

  const show = (app) => {
    const state = { app };
    const steps = substepsOf(app);
    let bagian = ctx.params.get('bagian');
    if (!steps.includes(bagian)) {
      bagian = resumeAt(app);
      replace(hashOf(id, bagian));
    }
    if (app.status !== 'draft' && !inPerbaikan(app)) {
      replaceChildren(panel, h('p', { class: 'empty', 'data-testid': 'bukan-draf' }, t('kelengkapan.notDraft')),
        h('p', { class: 'app-actions' },
          permitActions(app),
          app.receiptNumber ? h('a', { class: 'btn btn-primary', href: receiptHash(id) }, t('resi.pageTitle')) : null,
          h('a', { class: 'btn btn-secondary', href: `#/permohonan-saya/${id}` }, t('detail.title'))));
      return;
    }
    draw(panel, ctx, state, bagian);
  };

  if (handoff && handoff.applicationId === id) {
    const app = handoff;
    handoff = null;
    show(app);
    return;
  }
  handoff = null;
  applicationsApi.get(id).then((app) => {
    if (ctx.isCurrent()) show(app);
  }).catch((err) => {
    if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
    replaceChildren(panel, h('p', { class: 'inline-error' }, t('err.inline')));
    showError(err, {
      retry: err.status === 404 ? null : ctx.retry,
      links: [{ href: '#/permohonan-saya', text: t('nav.permohonanSaya') }],
    });
  });
}
