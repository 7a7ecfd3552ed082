import { h, icon, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import {
  applicationsApi, filesApi, get, newIdempotencyKey, post, SESSION_ENDED,
} from './api.js';
import { formatDateTime } from './format.js';
import { makeField, makeForm } from './form.js';
import { go } from './router.js';
import { flash, loading, showError } from './ui.js';

/**
 * Pengaduan (the dashboard's tile), at #/pengaduan: file a complaint (a category, the text,
 * optionally one of the applicant's own receipt numbers and one checked file from File Saya)
 * and follow one's complaints with their status; #/pengaduan/<id> shows one with the
 * office's replies.
 */

// The API's fixed list (eptsp.complaints.models.CATEGORIES), in this order.
const CATEGORIES = ['pelayanan', 'persyaratan', 'waktu', 'biaya', 'aplikasi', 'saran', 'lainnya'];
const TEXT_MAX = 3000;
const PAGE_SIZE = 20;
// Existing marks, by the colour each status should carry: waiting, in hand, done.
const STATUS_CLASS = { diterima: 'status-proses', diproses: 'status-diproses', selesai: 'status-lengkap' };
const STATUS_ICON = { diterima: 'clock', diproses: 'chat', selesai: 'check' };

const complaintsApi = {
  file: (body, idempotencyKey) => post('/api/complaints', body, { headers: { 'Idempotency-Key': idempotencyKey } }),
  list: ({ cursor } = {}) => get(`/api/complaints?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
  get: (id) => get(`/api/complaints/${encodeURIComponent(id)}`),
};

export const complaintHash = (id) => `#/pengaduan/${encodeURIComponent(id)}`;

// A choice's words kept short enough for a phone's width.
const short = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function categoryText(complaint) {
  const key = `pengaduan.cat.${complaint.category}`;
  const text = t(key);
  return text === key ? complaint.categoryLabel : text;
}

function statusMark(status) {
  return h('span', { class: ['status', STATUS_CLASS[status] || 'status-proses'], 'data-testid': 'status-pengaduan' },
    icon(STATUS_ICON[status] || 'clock', 18), h('span', null, t(`pengaduan.status.${status}`)));
}

/** Every page of a list the API pages with cursors, up to `max` items (for the form's choices). */
async function collect(list, pick, max = 200) {
  const found = [];
  let cursor = null;
  do {
    const page = await list(cursor);
    found.push(...(page.items || []).filter(pick));
    cursor = page.nextCursor || page.cursor || null;
  } while (cursor && found.length < max);
  return found;
}

/** The form's choices: the applicant's submitted applications and checked files. */
async function choices() {
  const [applications, files] = await Promise.all([
    collect((cursor) => applicationsApi.list({ cursor, limit: 50 }), (a) => Boolean(a.receiptNumber)),
    collect((cursor) => filesApi.list({ cursor, limit: 50 }), (f) => f.status === 'siap'),
  ]);
  return { applications, files };
}

function complaintForm(options, onFiled) {
  const category = makeField({
    name: 'category',
    label: t('pengaduan.category'),
    control: 'select',
    options: CATEGORIES.map((value) => ({ value, label: t(`pengaduan.cat.${value}`) })),
    check: (v) => (v ? '' : t('pengaduan.v.category')),
  });
  const text = makeField({
    name: 'text',
    label: t('pengaduan.text'),
    hint: t('pengaduan.textHint'),
    control: 'textarea',
    wide: true,
    attrs: { maxlength: TEXT_MAX, rows: 6 },
    check: (v) => (v.trim().length >= 10 ? '' : t('pengaduan.v.text')),
  });
  const receipt = makeField({
    name: 'receiptNumber',
    label: t('pengaduan.receipt'),
    hint: options.applications.length ? t('pengaduan.receiptHint') : t('pengaduan.receiptNone'),
    control: 'select',
    optional: true,
    options: options.applications.map((a) => ({
      value: a.receiptNumber,
      label: `${a.receiptNumber} - ${short((a.izin && a.izin.name) || '', 28)}`,
    })),
  });
  const file = makeField({
    name: 'fileId',
    label: t('pengaduan.file'),
    hint: options.files.length ? t('pengaduan.fileHint') : t('pengaduan.fileNone'),
    control: 'select',
    optional: true,
    options: options.files.map((f) => ({ value: f.fileId, label: short(f.fileName, 40) })),
  });
  // One key per complaint, kept for the retries of the same words (a lost answer, a double tap).
  let attempt = { body: '', key: '' };
  const form = makeForm({
    name: 'form-pengaduan',
    draftKey: '/pengaduan',
    submitLabel: t('pengaduan.submit'),
    busyLabel: t('form.sending'),
    async onSubmit(values) {
      const body = { category: values.category, text: values.text.trim() };
      if (values.receiptNumber) body.receiptNumber = values.receiptNumber;
      if (values.fileId) body.fileId = values.fileId;
      const sent = JSON.stringify(body);
      if (attempt.body !== sent) attempt = { body: sent, key: newIdempotencyKey() };
      const filed = await complaintsApi.file(body, attempt.key);
      form.dropDraft();
      onFiled(filed);
    },
  });
  form.add(category, text, receipt, file);
  form.restoreDraft();
  return form;
}

function complaintCard(complaint) {
  return h('li', { 'data-testid': `pengaduan-${complaint.complaintId}` },
    h('a', { class: 'card', href: complaintHash(complaint.complaintId) },
      h('span', { class: 'card-kicker' }, categoryText(complaint)),
      h('span', { class: 'card-title' }, short(complaint.text, 120)),
      h('span', { class: 'card-desc' },
        h('span', null, statusMark(complaint.status)),
        h('span', { class: 'card-meta' }, t('pengaduan.sentAt', { at: formatDateTime(complaint.createdAt) })),
        complaint.replyCount
          ? h('span', { class: 'card-meta' }, t('pengaduan.replyCount', { n: complaint.replyCount }))
          : null)));
}

/** #/pengaduan: the form, then the applicant's complaints, newest first. */
export function renderPengaduan(root, ctx) {
  const formBox = h('section', { class: 'summary', 'aria-labelledby': 'pengaduan-form-title' },
    h('h2', { id: 'pengaduan-form-title' }, t('pengaduan.formTitle')),
    loading(t('pengaduan.loading')));
  const list = h('ul', { class: 'cards', 'data-testid': 'daftar-pengaduan', 'aria-label': t('pengaduan.listTitle') });
  const more = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true, 'data-action': 'muat-lagi' },
    t('btn.muatLagi'));
  const listBody = h('div', { class: 'list-body' }, loading(t('pengaduan.loading')));
  root.append(
    h('h1', { tabindex: '-1' }, t('nav.pengaduan')),
    h('p', { class: 'lead' }, t('pengaduan.lead')),
    formBox,
    h('section', { class: 'detail-section', 'aria-labelledby': 'pengaduan-list-title' },
      h('h2', { id: 'pengaduan-list-title' }, t('pengaduan.listTitle')),
      listBody));

  const onFiled = (filed) => {
    flash(t('pengaduan.filed'));
    if (ctx.isCurrent()) go(complaintHash(filed.complaintId));
  };

  (async () => {
    let options;
    try {
      options = await choices();
    } catch (err) {
      if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
      options = { applications: [], files: [] }; // the complaint itself can still be sent
    }
    if (!ctx.isCurrent()) return;
    const form = complaintForm(options, onFiled);
    replaceChildren(formBox, formBox.firstChild, h('p', { class: 'form-required-note' }, t('form.requiredNote')), form.el);
  })();

  let cursor = null;
  const load = async ({ reset }) => {
    more.disabled = true;
    let page;
    try {
      page = await complaintsApi.list({ cursor: reset ? null : cursor });
    } catch (err) {
      if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
      more.disabled = false;
      if (reset) replaceChildren(listBody, h('p', { class: 'inline-error' }, t('err.inline')));
      showError(err, { retry: () => load({ reset }) });
      return;
    }
    if (!ctx.isCurrent()) return;
    (page.items || []).forEach((complaint) => list.appendChild(complaintCard(complaint)));
    cursor = page.cursor || null;
    more.hidden = !cursor;
    more.disabled = false;
    if (!list.children.length) {
      replaceChildren(listBody, h('p', { class: 'empty', 'data-testid': 'pengaduan-kosong' }, t('pengaduan.empty')));
    } else if (!list.isConnected) {
      replaceChildren(listBody, list, more);
    }
  };
  more.addEventListener('click', () => load({ reset: false }));
  load({ reset: true });
}

function fact(label, value, testId) {
  return value ? h('div', { class: 'data-row' }, h('dt', null, label), h('dd', { 'data-testid': testId }, value)) : null;
}

/** #/pengaduan/<id>: one complaint, its status and the office's replies, oldest first. */
export async function renderDetailPengaduan(root, ctx) {
  const id = ctx.pathParams.id;
  const body = h('div', null, loading(t('pengaduan.loading')));
  root.append(
    h('h1', { tabindex: '-1' }, t('pengaduan.detailTitle')),
    body,
    h('p', { class: 'back-link' }, h('a', { href: '#/pengaduan' }, t('pengaduan.back'))));
  let complaint;
  try {
    complaint = await complaintsApi.get(id);
  } catch (err) {
    if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
    if (err.status === 404) {
      replaceChildren(body, h('p', { class: 'empty', 'data-testid': 'pengaduan-tidak-ada' }, t('pengaduan.notFound')));
      return;
    }
    replaceChildren(body, h('p', { class: 'inline-error' }, t('err.inline')));
    showError(err, { retry: ctx.retry });
    return;
  }
  if (!ctx.isCurrent()) return;
  const replies = complaint.replies || [];
  replaceChildren(body,
    h('section', { class: 'summary', 'data-testid': 'pengaduan-detail', 'aria-label': t('pengaduan.detailTitle') },
      h('p', null, statusMark(complaint.status)),
      h('dl', { class: 'data-list' },
        fact(t('pengaduan.category'), categoryText(complaint), 'kategori-pengaduan'),
        fact(t('pengaduan.sent'), formatDateTime(complaint.createdAt), 'waktu-pengaduan'),
        fact(t('pengaduan.receipt'), complaint.receiptNumber, 'resi-pengaduan'),
        fact(t('pengaduan.file'), complaint.attachment && complaint.attachment.fileName, 'lampiran-pengaduan'),
        fact(t('pengaduan.closedAt'), complaint.closedAt && formatDateTime(complaint.closedAt), 'selesai-pengaduan')),
      h('h2', null, t('pengaduan.text')),
      h('p', { class: 'inbox-body', 'data-testid': 'isi-pengaduan' }, complaint.text)),
    h('section', { class: 'detail-section', 'aria-labelledby': 'pengaduan-replies-title' },
      h('h2', { id: 'pengaduan-replies-title' }, t('pengaduan.replies')),
      replies.length
        ? h('ol', { class: 'inbox-list', 'data-testid': 'balasan-pengaduan' }, replies.map((reply) => h('li', { class: 'inbox-item' },
          h('div', { class: 'inbox-open' },
            h('span', { class: 'inbox-meta' },
              h('span', { class: 'inbox-kind' }, t('pengaduan.office')),
              h('time', { class: 'inbox-time', datetime: reply.createdAt }, formatDateTime(reply.createdAt))),
            h('span', { class: 'inbox-body', 'data-testid': 'isi-balasan' }, reply.text)))))
        : h('p', { class: 'empty', 'data-testid': 'belum-ada-balasan' },
          complaint.status === 'selesai' ? t('pengaduan.closedNoReply') : t('pengaduan.noReply'))));
}
