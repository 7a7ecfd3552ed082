import { h, icon, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { IDENTIFIERS, KABUPATEN_KOTA, matches } from './meta.js';
import { SESSION_ENDED } from './api.js';
import { clearAlert, showError } from './ui.js';

/* ---------- drafts: what the user typed, kept in this tab across reloads and sign-ins ---------- */

const DRAFT_PREFIX = 'eptsp.isian:';

function tabStorage() {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function readDraft(key, owner = '') {
  const store = tabStorage();
  if (!store) return null;
  try {
    const saved = JSON.parse(store.getItem(DRAFT_PREFIX + key) || 'null');
    if (!saved || typeof saved.values !== 'object' || (saved.owner || '') !== owner) return null;
    return saved.values;
  } catch {
    return null;
  }
}

export function saveDraft(key, values, owner = '') {
  const store = tabStorage();
  if (!store) return;
  try {
    store.setItem(DRAFT_PREFIX + key, JSON.stringify({ owner, values }));
  } catch {
    /* storage full or blocked: the form still works, it just is not kept */
  }
}

export function dropDraft(key) {
  const store = tabStorage();
  if (!store) return;
  try {
    store.removeItem(DRAFT_PREFIX + key);
  } catch {
    /* nothing to do */
  }
}

/** On Keluar: nothing the user typed stays behind on a shared device. */
export function dropAllDrafts() {
  const store = tabStorage();
  if (!store) return;
  try {
    Object.keys(store).filter((k) => k.startsWith(DRAFT_PREFIX)).forEach((k) => store.removeItem(k));
  } catch {
    /* nothing to do */
  }
}

/* ---------- checks that mirror the API's ---------- */

const digitsOf = (value) => String(value || '').replace(/[\s.\-/]/g, '');

function daysInMonth(month) {
  return [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

export const rules = {
  required: (value) => (String(value || '').trim() ? '' : t('v.required')),
  nik(value) {
    const n = digitsOf(value);
    if (!/^\d{16}$/.test(n)) return t('v.nik');
    let day = Number(n.slice(6, 8));
    const month = Number(n.slice(8, 10));
    if (day > 40) day -= 40;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(month)) return t('v.nikDate');
    if (n.slice(12) === '0000') return t('v.nikSerial');
    const { provinceCodes = [], regionCodes = [] } = IDENTIFIERS.nik || {};
    const known = provinceCodes.includes(n.slice(0, 2)) || regionCodes.includes(n.slice(0, 4));
    if (provinceCodes.length && !known) return t('v.nikRegion');
    return '';
  },
  name(value) {
    const v = String(value || '').trim();
    if (!v) return t('v.required');
    if (v.length < 3) return t('v.nameShort');
    if (v.length > 100) return t('v.nameLong');
    if (/[<>{}[\]\\]/.test(v)) return t('v.nameChars');
    return '';
  },
  email(value) {
    const v = String(value || '').trim();
    if (!v) return t('v.required');
    return v.length <= 254 && matches('email', v.toLowerCase()) ? '' : t('v.email');
  },
  phone(value) {
    const raw = String(value || '').replace(/[\s\-().]/g, '');
    if (!raw) return t('v.required');
    let national = '';
    if (raw.startsWith('+62')) national = raw.slice(3);
    else if (raw.startsWith('62')) national = raw.slice(2);
    else if (raw.startsWith('0')) national = raw.slice(1);
    else return t('v.phonePrefix');
    return /^8/.test(national) && matches('phone', raw) ? '' : t('v.phone');
  },
  /** `words`: 'v.password' (a password) or 'v.newPassword' (Ubah Password: the new one). */
  password(value, words = 'v.password') {
    const v = String(value || '');
    if (!v) return t('v.required');
    if (v.length < 8) return t(`${words}Short`);
    if (v.length > 128) return t(`${words}Long`);
    if (!/[A-Za-z]/.test(v) || !/\d/.test(v)) return t(`${words}Mix`);
    return '';
  },
  npwp(value) {
    const n = digitsOf(value);
    if (!n) return '';
    return /^\d{15,16}$/.test(n) ? '' : t('v.npwp');
  },
  nib(value) {
    const n = digitsOf(value);
    if (!n) return '';
    return /^\d{13}$/.test(n) ? '' : t('v.nib');
  },
  address(value) {
    const v = String(value || '').trim();
    if (!v) return t('v.required');
    if (v.length < 5) return t('v.addressShort');
    return v.length > 300 ? t('v.addressLong') : '';
  },
  identifier(value) {
    const n = digitsOf(value);
    if (!n) return t('v.required');
    return /^(\d{13}|\d{15}|\d{16})$/.test(n) ? '' : t('v.identifier');
  },
  pin: (value) => (/^\d{6}$/.test(String(value || '').trim()) ? '' : t('v.pin')),
  sameAs: (otherName, messageKey) => (value, values) => (value === values[otherName] ? '' : t(messageKey)),
};

/* ---------- fields ---------- */

/**
 * Move to a field with its label in view: a browser scrolls only the input itself into view,
 * which on a phone leaves the label (what the field is) above the screen's edge.
 */
export function focusField(field) {
  const scroller = field.wrap || field.input;
  scroller.scrollIntoView({ block: 'start' });
  field.input.focus({ preventScroll: true });
}

/**
 * A new password and its confirmation, with the user pool's rule as the hint.
 * names: { password, confirmation, passwordLabel, confirmationLabel, extraCheck(value, values) }
 */
export function newPasswordFields({
  password, confirmation, passwordLabel, confirmationLabel, extraCheck, words = 'v.password',
}) {
  return [
    makeField({
      name: password,
      label: t(passwordLabel),
      type: 'password',
      autocomplete: 'new-password',
      hint: t('f.passwordRule'),
      check: (v, values) => rules.password(v, words) || (extraCheck ? extraCheck(v, values) : ''),
      attrs: { maxlength: 128 },
    }),
    makeField({
      name: confirmation,
      label: t(confirmationLabel),
      type: 'password',
      autocomplete: 'new-password',
      check: rules.sameAs(password, `${words}Same`),
      attrs: { maxlength: 128 },
    }),
  ];
}

/**
 * One labelled control with its hint and error line.
 * spec: { name, label, type, control ('input'|'select'|'textarea'), options [{value, label}],
 *         hint, optional, autocomplete, inputmode, readonly, secret, check(value, values), attrs }
 * `secret` fields (passwords, codes) are never written to a draft.
 */
export function makeField(spec) {
  const id = uniqueId(`f-${spec.name}`);
  const hintId = spec.hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const kind = spec.control || 'input';
  const common = {
    id,
    name: spec.name,
    class: kind === 'select' ? 'input select' : 'input',
    'aria-describedby': hintId,
    required: spec.optional || spec.readonly ? null : true,
    'data-field': spec.name,
    ...spec.attrs,
  };
  let control;
  if (kind === 'select') {
    control = h('select', { ...common, autocomplete: spec.autocomplete || null },
      h('option', { value: '' }, t('form.choose')),
      (spec.options || []).map((o) => h('option', { value: o.value }, o.label)));
  } else if (kind === 'textarea') {
    control = h('textarea', { ...common, rows: 3, autocomplete: spec.autocomplete || null });
  } else {
    control = h('input', {
      ...common,
      type: spec.type || 'text',
      autocomplete: spec.autocomplete || 'off',
      inputmode: spec.inputmode || null,
      readonly: spec.readonly || null,
    });
  }
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const label = h('label', { for: id, class: 'label' }, spec.label,
    spec.optional ? h('span', { class: 'label-optional' }, ` ${t('form.optional')}`) : null);
  const wrap = h('div', { class: ['field', spec.wide ? 'field-wide' : ''], 'data-field-wrap': spec.name },
    label,
    hintId ? h('p', { id: hintId, class: 'hint' }, spec.hint) : null);

  const field = {
    spec,
    name: spec.name,
    input: control,
    wrap,
    error: '',
    setError(message) {
      field.error = message || '';
      error.hidden = !field.error;
      error.replaceChildren(...(field.error ? [icon('info', 18), h('span', null, field.error)] : []));
      if (field.error) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
      } else {
        control.removeAttribute('aria-invalid');
        if (hintId) control.setAttribute('aria-describedby', hintId);
        else control.removeAttribute('aria-describedby');
      }
    },
    check(values) {
      if (!spec.check || spec.readonly) return '';
      if (spec.optional && !String(control.value || '').trim()) return '';
      return spec.check(control.value, values) || '';
    },
  };

  if (spec.type === 'password') {
    const toggle = h('button', {
      type: 'button',
      class: 'btn btn-secondary btn-reveal',
      'aria-controls': id,
      'aria-pressed': 'false',
      'data-reveal': spec.name,
    }, t('form.show'));
    toggle.addEventListener('click', () => {
      const shown = control.type === 'text';
      control.type = shown ? 'password' : 'text';
      toggle.setAttribute('aria-pressed', shown ? 'false' : 'true');
      toggle.textContent = shown ? t('form.show') : t('form.hide');
    });
    wrap.appendChild(h('div', { class: 'input-row' }, control, toggle));
    field.reset = () => {
      control.type = 'password';
      toggle.setAttribute('aria-pressed', 'false');
      toggle.textContent = t('form.show');
    };
  } else {
    wrap.appendChild(control);
  }
  wrap.appendChild(error);
  return field;
}

/* ---------- forms ---------- */

function isSecret(field) {
  return field.spec.secret || field.spec.type === 'password' || field.spec.readonly;
}

/**
 * A form with checks, a busy state, errors by field and a draft.
 * opts: { name (data-testid), draftKey, owner, submitLabel, busyLabel, onSubmit(values) }
 * onSubmit may throw an ApiError; its `field`, when it names one of the form's fields,
 * puts the message next to that field, otherwise it goes to the page's alert.
 */
export function makeForm({ name, draftKey = '', owner = '', submitLabel, busyLabel, onSubmit, errorHint }) {
  const fields = [];
  const byName = new Map();
  const el = h('form', { class: 'form', novalidate: true, 'data-testid': name });
  const body = h('div', { class: 'form-fields' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-submit' }, submitLabel);
  const actions = h('div', { class: 'form-actions' }, submit);
  el.append(body, actions);
  let busy = false;

  const values = () => {
    const out = {};
    fields.forEach((f) => {
      out[f.name] = f.input.value;
    });
    return out;
  };

  const saveNow = () => {
    if (!draftKey) return;
    const kept = {};
    fields.filter((f) => !isSecret(f)).forEach((f) => {
      kept[f.name] = f.input.value;
    });
    saveDraft(draftKey, kept, owner);
  };

  const form = {
    el,
    body,
    actions,
    submit,
    fields,
    values,
    add(...items) {
      items.forEach((item) => {
        if (item && item.input) {
          fields.push(item);
          byName.set(item.name, item);
          body.appendChild(item.wrap);
        } else if (item) {
          body.appendChild(item);
        }
      });
      return form;
    },
    field: (fieldName) => byName.get(fieldName),
    setValues(data) {
      Object.entries(data || {}).forEach(([key, value]) => {
        const f = byName.get(key);
        if (f && value !== null && value !== undefined) f.input.value = String(value);
      });
    },
    /** Put back what was typed before; true when that changed something. */
    restoreDraft() {
      if (!draftKey) return false;
      const saved = readDraft(draftKey, owner);
      if (!saved) return false;
      let changed = false;
      fields.filter((f) => !isSecret(f)).forEach((f) => {
        if (!(f.name in saved) || typeof saved[f.name] !== 'string') return;
        if (f.input.value !== saved[f.name]) changed = true;
        f.input.value = saved[f.name];
      });
      return changed;
    },
    dropDraft() {
      if (draftKey) dropDraft(draftKey);
    },
    saveDraft: saveNow,
    setError(fieldName, message) {
      const f = byName.get(fieldName);
      if (!f) return false;
      f.setError(message);
      return true;
    },
    clearErrors() {
      fields.forEach((f) => f.setError(''));
    },
    /** Run every check; show the errors and move to the first. True when all pass. */
    validate() {
      const all = values();
      let first = null;
      fields.forEach((f) => {
        const message = f.check(all);
        f.setError(message);
        if (message && !first) first = f;
      });
      if (first) focusField(first);
      return !first;
    },
    setBusy(on) {
      busy = on;
      el.setAttribute('aria-busy', on ? 'true' : 'false');
      submit.disabled = on;
      submit.replaceChildren(...(on
        ? [h('span', { class: 'spinner spinner-small', 'aria-hidden': 'true' }), busyLabel || t('form.sending')]
        : [submitLabel]));
    },
    /** Show a failed request's message where it belongs; the input stays as typed. */
    showFailure(err, { hint } = {}) {
      if (!err || err.kind === SESSION_ENDED) return;
      if (err.field && form.setError(err.field, err.message)) {
        focusField(byName.get(err.field));
        return;
      }
      showError(err, { hint: hint || errorHint || t('form.hintKept') });
    },
  };

  el.addEventListener('input', (e) => {
    const f = fields.find((x) => x.input === e.target);
    if (f && f.error) f.setError(f.check(values()));
    saveNow();
  });
  el.addEventListener('change', saveNow);
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    clearAlert();
    if (!form.validate()) return;
    form.setBusy(true);
    try {
      await onSubmit(values(), form);
    } catch (err) {
      if (el.isConnected) form.showFailure(err);
    } finally {
      if (el.isConnected) form.setBusy(false);
    }
  });
  return form;
}

/** Kabupaten/kota of residence, as the API knows them (GET /api/meta). */
export { KABUPATEN_KOTA };

export function kabupatenOptions() {
  return KABUPATEN_KOTA.map((k) => ({ value: k.value, label: k.labelKey ? t(k.labelKey) : k.label }));
}

/** Only the digits of NIK, NPWP, NIB or PIN (spaces, dots and dashes dropped). */
export const digitsOnly = digitsOf;

/** An "auth" page: its heading, an optional lead, and a card holding the form. */
export function authCard({ titleKey, leadKey, wide = false }, ...children) {
  return h('div', { class: ['auth', wide ? 'auth-wide' : ''] },
    h('h1', { tabindex: '-1' }, t(titleKey)),
    leadKey ? h('p', { class: 'lead' }, t(leadKey)) : null,
    h('div', { class: 'auth-card' }, children));
}
