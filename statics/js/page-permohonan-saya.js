import { h, icon, replaceChildren, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { applicationsApi, SESSION_ENDED } from './api.js';
import { buildHash, go, replace } from './router.js';
import { showError, showMessage, clearAlert, loading, confirmDialog } from './ui.js';
import { formatDate, formatDateTime, formatDay } from './format.js';
import {
  applicationSummary, choiceFacts, showsEstimate, stageText, statusBadge,
} from './kelengkapan.js';
import {
  editHash, gangguanNote, monitoringHash, perbaikanBox, permitActions, printReceiptButton, rejectionBox,
} from './pengiriman.js';

/**
 * Permohonan Saya (manual C.2.2): the applicant's applications, newest first, with a
 * search, "Lanjutkan" and "Batalkan" for drafts, "Cetak Resi" for submitted ones,
 * the perbaikan notes with "Perbaiki", the rejection notes, and "Detail Informasi".
 */

const PAGE_SIZE = 20;
const SEARCH_DELAY_MS = 400;

const resumeHash = (id) => `#/permohonan/${id}`;
const detailHash = (id) => `#/permohonan-saya/${id}`;

async function cancelApplication(app) {
  const ok = await confirmDialog({
    title: t('batalkan.title'),
    body: t('batalkan.body', { name: app.izin.name }),
    confirmText: t('batalkan.confirm'),
    cancelText: t('batalkan.stay'),
  });
  if (!ok) return false;
  clearAlert();
  try {
    await applicationsApi.cancel(app.applicationId);
  } catch (err) {
    if (err.kind !== SESSION_ENDED) showError(err, { hint: t('batalkan.failedHint') });
    return false;
  }
  showMessage(t('batalkan.done', { name: app.izin.name }));
  return true;
}

/** How far a draft is: "5 dari 9 terpenuhi" with a bar. */
function progressText(app) {
  const { done = 0, total = 0 } = app.progress || {};
  const label = t('saya.progress', { done, total });
  return h('span', { class: 'draft-progress', 'data-testid': 'kemajuan' },
    h('progress', { max: String(total || 1), value: String(done), 'aria-label': label }), ' ', label);
}

/** The facts a card shows: when it was made or sent, its receipt, stage, progress, last change and id. */
function itemFacts(app) {
  const when = (value) => h('time', { datetime: value, title: formatDateTime(value) }, formatDate(value));
  const rows = [
    [t('choice.layanan'), app.layanan.name],
    [t('choice.permohonan'), app.jenisPermohonan.name],
    app.submittedAt ? [t('saya.submitted'), when(app.submittedAt)] : [t('saya.created'), when(app.createdAt)],
    [t('detail.receipt'), app.receiptNumber ? h('span', { class: 'mono', 'data-testid': 'nomor-resi' }, app.receiptNumber) : '–'],
    [t('izin.number'), app.permitNumber ? h('span', { class: 'mono', 'data-testid': 'nomor-izin' }, app.permitNumber) : ''],
    [t('saya.stage'), stageText(app)],
    [t('saya.estimated'), showsEstimate(app) ? formatDay(app.estimatedFinish) : ''],
    [t('saya.progressLabel'), app.status === 'draft' ? progressText(app) : ''],
    [t('saya.updated'), h('time', { datetime: app.updatedAt, 'data-testid': 'perubahan-terakhir' }, formatDateTime(app.updatedAt))],
    [t('saya.id'), h('span', { class: 'mono', 'data-testid': 'id-permohonan' }, app.applicationId)],
  ].filter(([, value]) => value);
  return h('dl', { class: 'app-facts' }, rows.map(([label, value]) => h('div', null, h('dt', null, label), h('dd', null, value))));
}

function applicationItem(app, onCancelled) {
  const titleId = uniqueId('app-title');
  const hidden = () => h('span', { class: 'visually-hidden' }, ` ${app.izin.name}`);
  const submitted = app.status !== 'draft' && Boolean(app.receiptNumber);
  const cancel = h('button', { type: 'button', class: 'btn btn-secondary btn-danger-outline', 'data-action': 'batalkan' },
    t('btn.batalkan'), h('span', { class: 'visually-hidden' }, ` ${app.izin.name}`));
  const li = h('li', { class: 'app-item', 'data-testid': `permohonan-${app.applicationId}` },
    h('article', { 'aria-labelledby': titleId },
      h('div', { class: 'app-head' },
        h('h2', { class: 'app-title', id: titleId, lang: 'id' }, h('a', { href: detailHash(app.applicationId) }, app.izin.name)),
        statusBadge(app)),
      itemFacts(app),
      app.status === 'perbaikan' ? perbaikanBox(app, { headingLevel: 3 }) : null,
      rejectionBox(app, { headingLevel: 3 }),
      gangguanNote(app),
      h('div', { class: 'app-actions' },
        permitActions(app, { withName: true }),
        app.status === 'draft'
          ? h('a', { class: 'btn btn-primary', href: resumeHash(app.applicationId), 'data-action': 'lanjutkan' },
            t('btn.lanjutkan'), hidden())
          : null,
        app.status === 'perbaikan'
          ? h('a', { class: 'btn btn-primary', href: editHash(app.applicationId), 'data-action': 'perbaiki' },
            t('btn.perbaiki'), hidden())
          : null,
        submitted ? printReceiptButton(app, { withName: true }) : null,
        submitted ? h('a', { class: 'btn btn-secondary', href: monitoringHash(app.receiptNumber), 'data-action': 'monitoring' },
          t('nav.monitoring'), hidden()) : null,
        h('a', { class: 'btn btn-secondary', href: detailHash(app.applicationId), 'data-action': 'detail' },
          t('detail.title'), hidden()),
        app.status === 'draft' ? cancel : null)));
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    const done = await cancelApplication(app);
    if (!li.isConnected) return;
    cancel.disabled = false;
    if (done) {
      const list = li.parentElement;
      li.remove();
      onCancelled(list);
    }
  });
  return li;
}

export function renderPermohonanSaya(root, ctx) {
  let query = (ctx.params.get('q') || '').trim();
  root.append(
    h('h1', { tabindex: '-1' }, t('nav.permohonanSaya')),
    h('p', { class: 'lead' }, t('saya.lead')));

  const input = h('input', {
    id: 'cari-permohonan', type: 'search', class: 'input', autocomplete: 'off', maxlength: '100',
    'aria-describedby': 'cari-permohonan-hint', 'data-testid': 'cari-permohonan',
  });
  input.value = query;
  const search = h('form', { class: 'search-form', role: 'search', 'aria-label': t('saya.searchRegion') },
    h('label', { for: 'cari-permohonan', class: 'label' }, t('saya.searchLabel')),
    h('p', { id: 'cari-permohonan-hint', class: 'hint' }, t('saya.searchHint')),
    h('div', { class: 'input-row' }, input,
      h('button', { type: 'submit', class: 'btn btn-primary' }, icon('search', 18), t('btn.cari'))));
  const count = h('p', { class: 'search-count', role: 'status' });
  const list = h('ul', { class: 'app-list', 'data-testid': 'daftar-permohonan' });
  const more = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true, 'data-action': 'muat-lagi' },
    t('btn.muatLagi'));
  const body = h('div', { class: 'list-body' }, loading(t('saya.loading')));
  root.append(
    h('p', null, h('a', { class: 'btn btn-primary', href: '#/pengajuan' }, icon('file', 18), t('nav.pengajuan'))),
    search, count, body);

  let cursor = null;
  let token = 0;
  let shown = 0;

  const emptyNote = () => h('p', { class: 'empty', 'data-testid': 'daftar-kosong' },
    query ? t('saya.noMatch', { q: query }) : t('saya.none'));
  const showCount = () => {
    count.textContent = shown ? t('saya.count', { n: shown, more: cursor ? '+' : '' }) : '';
  };
  const onCancelled = () => {
    shown -= 1;
    showCount();
    if (!list.children.length && !cursor) replaceChildren(body, emptyNote());
  };

  const load = async ({ reset }) => {
    token += 1;
    const mine = token;
    if (reset) {
      cursor = null;
      shown = 0;
      replaceChildren(body, loading(t('saya.loading')));
      count.textContent = '';
    }
    more.disabled = true;
    let page;
    try {
      page = await applicationsApi.list({ q: query, cursor, limit: PAGE_SIZE });
    } catch (err) {
      if (!ctx.isCurrent() || mine !== token || err.kind === SESSION_ENDED) return;
      more.disabled = false;
      if (reset) replaceChildren(body, h('p', { class: 'inline-error' }, t('err.inline')));
      showError(err, { retry: () => load({ reset }) });
      return;
    }
    if (!ctx.isCurrent() || mine !== token) return;
    if (reset) replaceChildren(list);
    const items = page.items || [];
    items.forEach((app) => list.appendChild(applicationItem(app, onCancelled)));
    shown += items.length;
    cursor = page.nextCursor || null;
    more.hidden = !cursor;
    more.disabled = false;
    showCount();
    if (!list.children.length && !cursor) replaceChildren(body, emptyNote());
    else if (!list.isConnected) replaceChildren(body, list, more);
    // A search can pass over many applications without a match: let the user look further.
    if (!list.children.length && cursor) count.textContent = t('saya.keepLooking');
  };

  let timer = 0;
  const apply = () => {
    clearTimeout(timer);
    const next = input.value.trim();
    if (next === query) return;
    query = next;
    replace(buildHash('/permohonan-saya', { q: query }));
    load({ reset: true });
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(apply, SEARCH_DELAY_MS);
  });
  search.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  more.addEventListener('click', () => load({ reset: false }));
  load({ reset: true });
}

/** Detail Informasi: everything about one application. */
export function renderDetailPermohonan(root, ctx) {
  const { id } = ctx.pathParams;
  root.append(
    h('p', { class: 'back-link' }, h('a', { href: '#/permohonan-saya' }, t('detail.back'))),
    h('h1', { tabindex: '-1' }, t('detail.title')));
  const body = h('div', { class: 'detail-page', 'data-testid': 'detail-informasi' }, loading(t('kelengkapan.loading')));
  root.appendChild(body);

  applicationsApi.get(id).then((app) => {
    if (!ctx.isCurrent()) return;
    ctx.setTitle(`${t('detail.title')}: ${app.izin.name}`);
    const factsId = uniqueId('facts');
    const missing = ((app.completeness || {}).missing || []);
    const cancel = h('button', { type: 'button', class: 'btn btn-secondary btn-danger-outline', 'data-action': 'batalkan' },
      t('btn.batalkan'));
    cancel.addEventListener('click', async () => {
      cancel.disabled = true;
      if (await cancelApplication(app)) {
        go('#/permohonan-saya');
        return;
      }
      cancel.disabled = false;
    });
    const draftCompleteness = missing.length
      ? h('section', { class: 'missing-box', 'aria-labelledby': 'detail-missing' },
        h('h2', { id: 'detail-missing' }, t('validasi.missing', { n: missing.length })),
        h('ul', { class: 'missing-list' }, missing.map((m) => h('li', { class: 'missing-item' },
          h('span', { class: 'missing-icon' }, icon('alert', 18)), h('span', { class: 'missing-text' }, m.message)))))
      : h('p', { class: 'all-done' }, icon('check', 20), h('span', null, t('detail.complete')));
    replaceChildren(body,
      h('section', { class: 'summary', 'aria-labelledby': factsId },
        h('h2', { id: factsId, class: 'summary-title', lang: 'id' }, app.izin.name),
        choiceFacts(app, { full: true })),
      app.status === 'draft' ? h('div', { class: 'app-actions' },
        h('a', { class: 'btn btn-primary', href: resumeHash(app.applicationId), 'data-action': 'lanjutkan' }, t('btn.lanjutkan')),
        cancel) : null,
      app.status === 'perbaikan' ? perbaikanBox(app) : null,
      rejectionBox(app),
      gangguanNote(app),
      app.status !== 'draft' && app.receiptNumber ? h('div', { class: 'app-actions' },
        app.status === 'perbaikan'
          ? h('a', { class: 'btn btn-primary', href: editHash(app.applicationId), 'data-action': 'perbaiki' }, t('btn.perbaiki'))
          : null,
        permitActions(app),
        printReceiptButton(app),
        h('a', { class: 'btn btn-secondary', href: monitoringHash(app.receiptNumber), 'data-action': 'monitoring' },
          t('nav.monitoring'))) : null,
      app.status === 'draft' ? draftCompleteness : null,
      applicationSummary(app, { headingLevel: 2 }));
  }).catch((err) => {
    if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
    replaceChildren(body, h('p', { class: 'inline-error' }, t('err.inline')));
    showError(err, {
      retry: err.status === 404 ? null : ctx.retry,
      links: [{ href: '#/permohonan-saya', text: t('nav.permohonanSaya') }],
    });
  });
}
