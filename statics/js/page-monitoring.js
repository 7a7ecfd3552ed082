import { h, icon, replaceChildren, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { monitoringApi, SESSION_ENDED } from './api.js';
import { formatDate, formatDateTime, formatDay, formatTime } from './format.js';
import { go, replace } from './router.js';
import { showError, loading, clearAlert } from './ui.js';
import { isSignedIn, loginHash } from './auth.js';
import { actionText, roleText, showsEstimate, stageText, statusBadge } from './kelengkapan.js';
import {
  gangguanNote, monitoringHash, normalizeReceipt, perbaikanBox, rejectionBox,
} from './pengiriman.js';

/**
 * Monitoring Izin (manual C.3, Gambar 18-19), at #/monitoring and #/monitoring/<receipt>:
 * the "Nomor Resi Perizinan" box; what anyone holding the receipt may see; for the owner
 * (or an officer) the History Proses and the officers' notes. The receipt's QR code opens
 * #/monitoring/<receiptNumber>.
 */

function facts(result) {
  const rows = [
    [t('resi.number'), h('span', { class: 'mono', 'data-testid': 'monitoring-resi' }, result.receiptNumber)],
    [t('choice.izin'), result.izin && result.izin.name],
    [t('choice.layanan'), result.layanan && result.layanan.name],
    [t('choice.permohonan'), result.jenisPermohonan && result.jenisPermohonan.name],
    [t('monitoring.status'), statusBadge(result)],
    [t('monitoring.stage'), stageText(result)],
    [t('monitoring.submitted'), result.submittedAt ? formatDateTime(result.submittedAt) : ''],
    [t('monitoring.estimated'), showsEstimate(result) ? formatDay(result.estimatedFinish) : ''],
  ].filter(([, value]) => value);
  return h('dl', { class: 'data-list', 'data-testid': 'monitoring-data' }, rows.map(([label, value]) =>
    h('div', { class: 'data-row' }, h('dt', null, label), h('dd', null, value))));
}

/** History Proses (Gambar 19): a table on wide screens, one block per event on a phone. */
function historyTable(events) {
  const columns = [t('monitoring.col.at'), t('monitoring.col.stage'), t('monitoring.col.action'), t('monitoring.col.notes')];
  const cell = (label, ...content) => h('td', { 'data-label': label }, ...content);
  return h('div', { class: 'history-wrap' },
    h('table', { class: 'history', 'data-testid': 'history-proses' },
      h('caption', { class: 'visually-hidden' }, t('monitoring.historyCaption')),
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, events.map((event) => h('tr', { 'data-action': event.action },
        cell(columns[0], h('time', { datetime: event.at }, formatDate(event.at)), h('br'), formatTime(event.at)),
        cell(columns[1], stageText(event) || '–'),
        cell(columns[2], actionText(event),
          event.actorName ? h('span', { class: 'history-actor' }, t('monitoring.by', { who: event.actorName })) : null,
          !event.actorName && event.actorRole && event.actorRole !== 'pemohon'
            ? h('span', { class: 'history-actor' }, roleText(event.actorRole)) : null),
        cell(columns[3], event.notes ? h('span', { class: 'history-notes' }, event.notes) : h('span', { class: 'muted' }, '–')))))));
}

function historySection(host, receiptNumber, ctx) {
  const headingId = uniqueId('history');
  const heading = h('h2', { id: headingId }, t('monitoring.history'));
  const section = h('section', { class: 'history-section', 'aria-labelledby': headingId }, heading);
  host.appendChild(section);
  if (!isSignedIn()) {
    section.appendChild(h('div', { class: 'panel panel-login', 'data-testid': 'history-masuk' },
      h('span', { class: 'panel-icon' }, icon('lock', 24)),
      h('div', null,
        h('p', null, t('monitoring.signInHint')),
        h('p', { class: 'panel-actions' },
          h('a', { class: 'btn btn-primary', href: loginHash(`/monitoring/${receiptNumber}`) }, t('nav.masuk'))))));
    return;
  }
  section.appendChild(loading(t('monitoring.historyLoading')));
  monitoringApi.riwayat(receiptNumber).then((result) => {
    if (!ctx.isCurrent()) return;
    const events = result.history || [];
    replaceChildren(section, heading,
      rejectionBox(result, { headingLevel: 3 }),
      result.status === 'perbaikan' ? perbaikanBox(result, { headingLevel: 3 }) : null,
      events.length ? historyTable(events) : h('p', { class: 'empty' }, t('monitoring.noHistory')));
  }).catch((err) => {
    if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
    if (err.status === 404 || err.status === 403) {
      replaceChildren(section, heading, h('p', { class: 'empty', 'data-testid': 'history-bukan-pemilik' }, t('monitoring.notOwner')));
      return;
    }
    replaceChildren(section, heading, h('p', { class: 'inline-error' }, t('err.inline')));
    showError(err, { retry: ctx.retry });
  });
}

export function renderMonitoring(root, ctx) {
  const asked = ctx.pathParams.receipt || '';
  const receiptNumber = normalizeReceipt(asked);
  if (asked && receiptNumber && receiptNumber !== asked) replace(monitoringHash(receiptNumber));

  const inputId = 'nomor-resi';
  const hintId = 'nomor-resi-hint';
  const errorId = 'nomor-resi-error';
  const input = h('input', {
    id: inputId, name: 'receiptNumber', type: 'text', class: 'input input-resi', autocomplete: 'off',
    autocapitalize: 'characters', spellcheck: 'false', maxlength: '40', 'aria-describedby': `${hintId} ${errorId}`,
  });
  input.value = receiptNumber || asked;
  const error = h('p', { id: errorId, class: 'field-error', hidden: true });
  const setError = (text) => {
    error.hidden = !text;
    replaceChildren(error, text ? [icon('alert', 18), h('span', null, text)] : []);
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  const form = h('form', { class: 'search-form monitoring-form', role: 'search', 'aria-label': t('monitoring.searchRegion'), novalidate: true },
    h('label', { for: inputId, class: 'label' }, t('monitoring.label')),
    h('p', { id: hintId, class: 'hint' }, t('monitoring.hint')),
    h('div', { class: 'input-row' }, input,
      h('button', { type: 'submit', class: 'btn btn-primary' }, icon('search', 18), t('btn.cari'))),
    error);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = input.value.trim();
    const normalized = normalizeReceipt(value);
    if (!value || !normalized) {
      setError(value ? t('monitoring.invalid') : t('monitoring.required'));
      input.focus();
      return;
    }
    setError('');
    clearAlert();
    go(monitoringHash(normalized));
  });

  const result = h('div', { class: 'monitoring-result', 'aria-live': 'polite' });
  root.append(
    h('h1', { tabindex: '-1' }, t('nav.monitoring')),
    h('p', { class: 'lead' }, t('monitoring.lead')),
    form,
    result);

  if (!asked) return;
  if (!receiptNumber) {
    setError(t('monitoring.invalid'));
    return;
  }
  ctx.setTitle(`${t('nav.monitoring')}: ${receiptNumber}`);
  result.appendChild(loading(t('monitoring.loading')));
  monitoringApi.get(receiptNumber).then((found) => {
    if (!ctx.isCurrent()) return;
    const headingId = uniqueId('monitoring');
    const card = h('section', { class: 'summary monitoring-card', 'aria-labelledby': headingId, 'data-testid': 'hasil-monitoring' },
      h('h2', { id: headingId }, t('monitoring.heading')),
      facts(found),
      gangguanNote(found));
    replaceChildren(result, card);
    historySection(result, receiptNumber, ctx);
  }).catch((err) => {
    if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
    if (err.status === 404) {
      replaceChildren(result, h('div', { class: 'empty', 'data-testid': 'monitoring-tidak-ada' },
        h('p', null, h('strong', null, t('monitoring.notFound', { n: receiptNumber }))),
        h('p', null, t('monitoring.notFoundHint'))));
      return;
    }
    replaceChildren(result, h('p', { class: 'inline-error' }, t('err.inline')));
    showError(err, { retry: ctx.retry });
  });
}
