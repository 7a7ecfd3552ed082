import { h, icon, replaceChildren, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { filesApi, SESSION_ENDED } from './api.js';
import { showError, showMessage, clearAlert, loading, confirmDialog } from './ui.js';
import { formatDateTime, formatSize } from './format.js';
import { UPLOAD } from './meta.js';
import { filePicker, refusal, uploadFile, uploadStatus } from './upload.js';

/**
 * File Saya (manual C.2.3): every file the applicant uploaded, its check status and
 * where it is used; "Lihat" shows it on the page (a PDF or a photo, never anything else),
 * "Hapus" removes it, "Unggah" adds one.
 */

const PAGE_SIZE = 50;

function statusOf(file) {
  const key = { siap: 'file.siap', menunggu: 'file.menunggu', ditolak: 'file.ditolak' }[file.status] || 'file.menunggu';
  const iconName = { siap: 'check', menunggu: 'clock', ditolak: 'alert' }[file.status] || 'clock';
  return h('span', { class: `status status-file-${file.status}`, 'data-testid': 'status-berkas' },
    icon(iconName, 18), h('span', null, t(key)));
}

// What "Lihat" may show inline: the three types the upload check lets in. Anything else
// (never expected) is not shown, so a stored file can never run as a page.
const VIEWABLE = { pdf: 'application/pdf', jpeg: 'image/jpeg', png: 'image/png' };

/** The file in a dialog: the bytes fetched and typed by what the API says it is. */
function viewer(detail, blobUrl, type) {
  const titleId = uniqueId('lihat-title');
  const close = h('button', { type: 'button', class: 'btn btn-secondary' }, t('btn.tutup'));
  const content = detail.fileType === 'pdf'
    ? h('iframe', {
      class: 'viewer-frame', src: blobUrl, title: detail.fileName, 'data-testid': 'lihat-pdf', 'data-type': type,
    })
    : h('img', {
      class: 'viewer-image', src: blobUrl, alt: detail.fileName, 'data-testid': 'lihat-gambar', 'data-type': type,
    });
  const dialog = h('dialog', { class: 'dialog dialog-wide dialog-viewer', 'aria-labelledby': titleId, 'data-testid': 'lihat-berkas' },
    h('h2', { id: titleId, class: 'dialog-title' }, detail.fileName),
    h('div', { class: 'viewer' }, content),
    h('div', { class: 'dialog-actions' },
      h('a', { class: 'btn btn-secondary', href: blobUrl, download: detail.fileName }, t('file.download')),
      close));
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    URL.revokeObjectURL(blobUrl);
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  close.focus();
}

async function openFile(file, btn) {
  btn.disabled = true;
  clearAlert();
  try {
    const detail = await filesApi.get(file.fileId);
    const type = VIEWABLE[detail.fileType];
    if (!detail.downloadUrl || !type) {
      showError({ message: t('file.notReady') }, { hint: t('file.notReadyHint') });
      return;
    }
    const response = await fetch(detail.downloadUrl, { credentials: 'omit' });
    if (!response.ok) throw new Error(String(response.status));
    // Typed by the API's word, never by what the storage answered.
    const blob = new Blob([await response.arrayBuffer()], { type });
    viewer(detail, URL.createObjectURL(blob), blob.type);
  } catch (err) {
    if (err.kind === SESSION_ENDED) return;
    showError(err.kind ? err : { message: t('err.network') });
  } finally {
    btn.disabled = false;
  }
}

function fileItem(file, { onDeleted }) {
  const nameId = uniqueId('file-name');
  const usedIn = file.usedIn || [];
  const actions = h('div', { class: 'file-actions' });
  if (file.status === 'siap') {
    const view = h('button', { type: 'button', class: 'btn btn-secondary', 'data-action': 'lihat', 'aria-describedby': nameId },
      t('btn.lihat'));
    view.addEventListener('click', () => openFile(file, view));
    actions.appendChild(view);
  }
  const remove = h('button', {
    type: 'button', class: 'btn btn-secondary btn-danger-outline', 'data-action': 'hapus', 'aria-describedby': nameId,
  }, t('btn.hapus'));
  actions.appendChild(remove);

  const li = h('li', { class: ['file-item', `is-${file.status}`], 'data-testid': `file-${file.fileId}` },
    h('span', { class: 'file-icon' }, icon('file', 24)),
    h('div', { class: 'file-body' },
      h('div', { class: 'file-head' },
        h('h2', { class: 'file-name', id: nameId }, file.fileName),
        statusOf(file)),
      h('p', { class: 'file-meta' },
        h('span', null, String(file.fileType || '').toUpperCase()),
        h('span', null, formatSize(file.size)),
        h('span', null, t('file.uploadedAt', { when: formatDateTime(file.uploadedAt) }))),
      file.status === 'ditolak' && file.reason
        ? h('p', { class: 'alasan-ditolak', 'data-testid': 'alasan-ditolak' }, h('strong', null, `${t('file.reason')}: `), file.reason)
        : null,
      h('div', { class: 'dipakai-di', 'data-testid': 'dipakai-di' },
        usedIn.length
          ? [h('span', { class: 'file-used-label' }, `${t('file.usedIn')}: `),
            h('ul', { class: 'inline-list' }, usedIn.map((u) => h('li', null,
              h('a', { href: `#/permohonan-saya/${u.applicationId}` }, u.izinName))))]
          : h('span', { class: 'muted' }, t('file.unused'))),
      actions));

  remove.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: t('hapus.title'),
      body: t('hapus.body', { name: file.fileName }),
      confirmText: t('hapus.confirm'),
      cancelText: t('hapus.stay'),
    });
    if (!ok) return;
    remove.disabled = true;
    clearAlert();
    try {
      await filesApi.remove(file.fileId);
    } catch (err) {
      if (li.isConnected) remove.disabled = false;
      if (err.kind === SESSION_ENDED) return;
      showError(err, { hint: err.code === 'BERKAS_DIPAKAI' ? t('hapus.usedHint') : undefined });
      return;
    }
    const list = li.parentElement;
    li.remove();
    showMessage(t('hapus.done', { name: file.fileName }));
    onDeleted(list);
  });
  return li;
}

export function renderFileSaya(root, ctx) {
  root.append(
    h('h1', { tabindex: '-1' }, t('nav.fileSaya')),
    h('p', { class: 'lead' }, t('fileSaya.lead')));

  const uploads = h('div', { class: 'uploads', 'aria-live': 'polite' });
  const count = h('p', { class: 'search-count', role: 'status' });
  const list = h('ul', { class: 'file-list', 'data-testid': 'daftar-file' });
  const more = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true, 'data-action': 'muat-lagi' },
    t('btn.muatLagi'));
  const body = h('div', { class: 'list-body' }, loading(t('fileSaya.loading')));
  let cursor = null;
  let token = 0;

  const emptyNote = () => h('p', { class: 'empty', 'data-testid': 'berkas-kosong' }, t('fileSaya.none'));
  const onDeleted = () => {
    if (!list.children.length && !cursor) replaceChildren(body, emptyNote());
    count.textContent = list.children.length ? t('fileSaya.count', { n: list.children.length }) : '';
  };

  const load = async ({ reset }) => {
    token += 1;
    const mine = token;
    if (reset) cursor = null;
    more.disabled = true;
    let page;
    try {
      page = await filesApi.list({ cursor, limit: PAGE_SIZE });
    } catch (err) {
      if (!ctx.isCurrent() || mine !== token || err.kind === SESSION_ENDED) return;
      more.disabled = false;
      if (reset && !list.isConnected) replaceChildren(body, h('p', { class: 'inline-error' }, t('err.inline')));
      showError(err, { retry: () => load({ reset }) });
      return;
    }
    if (!ctx.isCurrent() || mine !== token) return;
    if (reset) replaceChildren(list);
    (page.items || []).forEach((file) => list.appendChild(fileItem(file, { onDeleted })));
    cursor = page.nextCursor || null;
    more.hidden = !cursor;
    more.disabled = false;
    count.textContent = list.children.length ? t('fileSaya.count', { n: list.children.length }) : '';
    if (!list.children.length) replaceChildren(body, emptyNote());
    else if (!list.isConnected) replaceChildren(body, list, more);
  };

  const upload = async (file) => {
    const problem = refusal(file);
    if (problem) {
      uploads.prepend(h('p', { class: 'upload-message upload-failed', role: 'alert' }, problem));
      return;
    }
    const status = uploadStatus(file.name);
    uploads.prepend(status.el);
    try {
      const result = await uploadFile(file, {
        onProgress: status.setProgress,
        onChecking: status.checking,
        isAlive: () => status.el.isConnected,
      });
      if (!status.el.isConnected) return;
      if (result.status === 'siap') status.done(t('upload.ready', { name: result.fileName }));
      else if (result.status === 'ditolak') status.failed(t('upload.refused', { reason: result.reason || t('upload.noReason') }));
      else status.failed(t('upload.slowCheck'));
    } catch (err) {
      if (err.kind === SESSION_ENDED) return;
      status.failed(err.message || t('err.server'));
    }
    if (ctx.isCurrent()) load({ reset: true });
  };

  const picker = filePicker({ label: t('btn.upload'), onFile: upload, testid: 'upload-file', variant: 'primary' });
  picker.btn.prepend(icon('file', 18));
  root.append(
    h('section', { class: 'upload-box', 'aria-labelledby': 'upload-heading' },
      h('h2', { id: 'upload-heading', class: 'upload-heading' }, t('fileSaya.uploadHeading')),
      h('p', { class: 'hint' }, t('fileSaya.uploadHint', { max: formatSize(UPLOAD.maxBytes) })),
      h('div', { class: 'upload-actions' }, picker.btn, picker.input),
      uploads),
    count,
    body);
  more.addEventListener('click', () => load({ reset: false }));
  load({ reset: true });
}
