import { h, icon, replaceChildren, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { verifyApi } from './api.js';
import { formatDateTime, formatDay } from './format.js';
import { go } from './router.js';
import { showError, loading, clearAlert } from './ui.js';

/**
 * Verifikasi Izin, at #/verifikasi/<permitId>: the address of the permit's QR code, open to
 * anyone. A verdict first, in words (never by colour alone), then only the minimum public data.
 * A code the server does not know, or whose signed data does not verify, is "TIDAK VALID";
 * a failure to ask is an error with "Coba lagi", never a verdict.
 */

const VERDICTS = {
  berlaku: { title: 'verif.berlaku', icon: 'shield' },
  kedaluwarsa: { title: 'verif.kedaluwarsa', icon: 'clock' },
  dicabut: { title: 'verif.dicabut', icon: 'alert' },
  'tidak valid': { title: 'verif.tidakValid', icon: 'alert' },
};

/** Genuine and in force only when the server says both; expired or revoked are genuine but not valid. */
function verdictOf(answer) {
  const status = answer && answer.status;
  if (status === 'berlaku') return answer.valid === true ? 'berlaku' : 'tidak valid';
  if (status === 'kedaluwarsa' || status === 'dicabut') return status;
  return 'tidak valid';
}

function verdictNote(verdict, answer) {
  if (verdict === 'berlaku') return t('verif.berlakuNote');
  if (verdict === 'kedaluwarsa') return t('verif.kedaluwarsaNote', { date: formatDay(answer.validUntil) });
  if (verdict === 'dicabut') return t('verif.dicabutNote', { date: formatDay(answer.revokedAt) });
  return t('verif.tidakValidNote');
}

function facts(permitId, answer, verdict) {
  const rows = [
    [t('izin.number'), answer.permitNumber ? h('span', { class: 'mono', 'data-testid': 'nomor-izin' }, answer.permitNumber) : ''],
    [t('verif.izin'), answer.izinName],
    [t('verif.permohonan'), answer.jenisPermohonanName],
    [t('verif.holder'), answer.holderName],
    [t('verif.company'), answer.companyName],
    [t('verif.issued'), formatDay(answer.issuedAt)],
    [t('verif.validUntil'), answer.validUntil ? formatDay(answer.validUntil) : t('verif.noExpiry')],
    [t('verif.revoked'), verdict === 'dicabut' ? formatDay(answer.revokedAt) : ''],
    [t('verif.code'), h('span', { class: 'mono' }, permitId)],
  ].filter(([, value]) => value);
  return h('dl', { class: 'data-list verif-data', 'data-testid': 'data-izin' }, rows.map(([label, value]) =>
    h('div', { class: 'data-row' }, h('dt', null, label), h('dd', null, value))));
}

function resultCard(permitId, answer) {
  const verdict = verdictOf(answer);
  const { title, icon: iconName } = VERDICTS[verdict];
  const headingId = uniqueId('verdict');
  const known = verdict !== 'tidak valid';
  return h('section', {
    class: ['verdict', `verdict-${verdict.replace(' ', '-')}`], 'aria-labelledby': headingId,
    'data-testid': 'hasil-verifikasi', 'data-status': verdict,
  },
  h('div', { class: 'verdict-head' },
    h('span', { class: 'verdict-icon' }, icon(iconName, 36)),
    h('h2', { id: headingId, class: 'verdict-title', 'data-testid': 'putusan' }, t(title))),
  h('p', { class: 'verdict-note' }, verdictNote(verdict, answer)),
  verdict === 'dicabut' && answer.revocationReason ? h('div', { class: 'verdict-reason', 'data-testid': 'alasan-pencabutan' },
    h('p', { class: 'notes-label' }, t('verif.reason')),
    h('p', { class: 'officer-notes' }, answer.revocationReason)) : null,
  known ? facts(permitId, answer, verdict) : h('dl', { class: 'data-list verif-data' },
    h('div', { class: 'data-row' }, h('dt', null, t('verif.code')), h('dd', null, h('span', { class: 'mono' }, permitId)))),
  h('p', { class: 'hint' }, t('verif.checkedAt', { at: formatDateTime(new Date()) })));
}

export function renderVerifikasi(root, ctx) {
  const permitId = ctx.pathParams.permitId || '';
  const inputId = 'kode-verifikasi';
  const errorId = 'kode-verifikasi-error';
  const input = h('input', {
    id: inputId, name: 'permitId', type: 'text', class: 'input', autocomplete: 'off', autocapitalize: 'characters',
    spellcheck: 'false', maxlength: '64', 'aria-describedby': `kode-verifikasi-hint ${errorId}`,
  });
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const form = h('form', { class: 'search-form', role: 'search', 'aria-label': t('verif.searchRegion'), novalidate: true },
    h('label', { for: inputId, class: 'label' }, permitId ? t('verif.another') : t('verif.label')),
    h('p', { id: 'kode-verifikasi-hint', class: 'hint' }, t('verif.hint')),
    h('div', { class: 'input-row' }, input,
      h('button', { type: 'submit', class: 'btn btn-primary' }, icon('search', 18), t('verif.check'))),
    error);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // Typed by hand: read as Crockford base32 is read (any case, O as 0, I and L as 1, dashes and spaces ignored).
    const value = input.value.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
    if (!value) {
      error.hidden = false;
      replaceChildren(error, icon('alert', 18), h('span', null, t('verif.required')));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    clearAlert();
    go(`#/verifikasi/${encodeURIComponent(value)}`);
  });

  const result = h('div', { class: 'verif-result', 'aria-live': 'polite' });
  root.append(h('h1', { tabindex: '-1' }, t('verif.title')));
  if (!permitId) root.append(h('p', { class: 'lead' }, t('verif.lead')));
  root.append(result, form);
  if (!permitId) return;

  result.appendChild(loading(t('verif.loading')));
  verifyApi.get(permitId).then((answer) => {
    if (!ctx.isCurrent()) return;
    replaceChildren(result, resultCard(permitId, answer || {}));
  }).catch((err) => {
    if (!ctx.isCurrent()) return;
    // An id the API refuses to read (404, or 422 for characters it never issues) is no permit of ours.
    if (err.kind === 'http' && (err.status === 404 || err.status === 422)) {
      replaceChildren(result, resultCard(permitId, { valid: false, status: 'tidak valid' }));
      return;
    }
    replaceChildren(result, h('p', { class: 'inline-error' }, t('err.inline')));
    showError(err, { retry: ctx.retry });
  });
}
