import { h, icon, replaceChildren, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { applicationsApi, SESSION_ENDED } from './api.js';
import { formatDateTime, formatDay } from './format.js';
import { showError, loading } from './ui.js';
import { showsEstimate, stageText, statusBadge } from './kelengkapan.js';
import { monitoringHash, printReceiptButton, editHash } from './pengiriman.js';

/**
 * The receipt of a submitted application (manual C.2.1 "Kirim", C.2.2 "Cetak Resi"),
 * at #/permohonan/<applicationId>/resi: the receipt number, easy to read and copy, the
 * permit, when it was submitted, the estimated finish, "Cetak Resi" and Monitoring Izin.
 * `?baru=1` marks the first visit, straight after Kirim.
 */

/** The number, large, selectable, with a "Salin" button and a spoken confirmation. */
export function receiptNumberBox(receiptNumber) {
  const said = h('p', { class: 'resi-copied', role: 'status' });
  const number = h('p', { class: 'resi-number', 'data-testid': 'nomor-resi', translate: 'no' }, receiptNumber);
  const copy = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-action': 'salin' },
    t('btn.salin'), h('span', { class: 'visually-hidden' }, ` ${t('resi.number')}`));
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(receiptNumber);
      said.textContent = t('resi.copied');
    } catch {
      // No clipboard (an older browser, or permission refused): select it for a manual copy.
      const range = document.createRange();
      range.selectNodeContents(number);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      said.textContent = t('resi.copyFailed');
    }
  });
  return h('div', { class: 'resi-box' },
    h('p', { class: 'resi-label' }, t('resi.number')),
    h('div', { class: 'resi-row' }, number, copy),
    said);
}

export function renderResi(root, ctx) {
  const { id } = ctx.pathParams;
  const fresh = ctx.params.get('baru') === '1';
  const heading = h('h1', { tabindex: '-1' }, fresh ? t('resi.title') : t('resi.pageTitle'));
  const body = h('div', { class: 'resi-page', 'data-testid': 'resi' }, loading(t('kelengkapan.loading')));
  root.append(
    h('p', { class: 'back-link' }, h('a', { href: '#/permohonan-saya' }, t('detail.back'))),
    heading,
    body);

  applicationsApi.get(id).then((app) => {
    if (!ctx.isCurrent()) return;
    if (app.status === 'draft' || !app.receiptNumber) {
      heading.textContent = t('resi.pageTitle');
      replaceChildren(body,
        h('p', { class: 'empty' }, t('resi.notSubmitted')),
        h('p', null, h('a', { class: 'btn btn-primary', href: editHash(id) }, t('btn.lanjutkan'))));
      return;
    }
    ctx.setTitle(`${heading.textContent}: ${app.receiptNumber}`);
    const factsId = uniqueId('resi-facts');
    const rows = [
      [t('choice.izin'), app.izin.name],
      [t('choice.layanan'), app.layanan.name],
      [t('choice.permohonan'), app.jenisPermohonan.name],
      [t('resi.submittedAt'), formatDateTime(app.submittedAt)],
      [t('detail.status'), statusBadge(app)],
      [t('resi.stage'), stageText(app)],
    ].filter(([, value]) => value);
    replaceChildren(body,
      fresh ? h('p', { class: 'all-done', 'data-testid': 'berhasil' }, icon('check', 20), h('span', null, t('resi.title'))) : null,
      h('p', { class: 'lead' }, t('resi.lead')),
      receiptNumberBox(app.receiptNumber),
      showsEstimate(app) ? h('div', { class: 'estimate' },
        h('p', { class: 'estimate-date', 'data-testid': 'perkiraan-selesai' },
          icon('clock', 20), h('span', null, t('resi.estimated', { date: formatDay(app.estimatedFinish) }))),
        h('p', { class: 'hint' }, t('resi.estimatedHint'))) : null,
      h('section', { class: 'summary', 'aria-labelledby': factsId },
        h('h2', { id: factsId, class: 'summary-title' }, app.izin.name),
        h('dl', { class: 'data-list' }, rows.map(([label, value]) => h('div', { class: 'data-row' },
          h('dt', null, label), h('dd', null, value))))),
      h('div', { class: 'app-actions' },
        printReceiptButton(app),
        h('a', { class: 'btn btn-primary', href: monitoringHash(app.receiptNumber), 'data-action': 'monitoring' },
          icon('search', 18), t('resi.toMonitoring')),
        h('a', { class: 'btn btn-secondary', href: '#/permohonan-saya' }, t('resi.toSaya'))));
  }).catch((err) => {
    if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
    replaceChildren(body, h('p', { class: 'inline-error' }, t('err.inline')));
    showError(err, {
      retry: err.status === 404 ? null : ctx.retry,
      links: [{ href: '#/permohonan-saya', text: t('nav.permohonanSaya') }],
    });
  });
}
