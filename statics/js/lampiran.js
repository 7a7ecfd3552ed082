import { h, icon, replaceChildren, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { applicationsApi, filesApi, SESSION_ENDED } from './api.js';
import { formatDateTime, formatFileTypes, formatSize } from './format.js';
import {
  MAX_PAGES, fileTypeOf, filePicker, refusal, uploadFile, uploadPages, uploadStatus,
} from './upload.js';
import { isTouch } from './peta.js';
import { typesText } from './kelengkapan.js';

const PHOTO_TYPES = ['jpeg', 'png'];

/**
 * Lampiran Persyaratan (Gambar 13): one row per requirement with "Unggah dari HP / Kamera"
 * (a PDF, or photos of the pages: several photos, or a photo where only PDF is accepted,
 * become one PDF on the server; progress, retries, check, then attached) and "Ambil dari
 * File Saya" (a file already there; shown only when the applicant has files).
 * `state.app` is the application; every change replaces it with the API's answer and
 * calls onChange(app). During a perbaikan only the requirements the officer listed can
 * change: `canChange(requirementId)` says which (the others are shown locked).
 */
export function lampiranBlock(state, { onChange = () => {}, canChange = null, beforeUpload = () => {} } = {}) {
  const headingId = uniqueId('lampiran');
  const counter = h('p', { class: 'jumlah-lampiran', role: 'status', 'data-testid': 'jumlah-lampiran' });
  const list = h('ol', { class: 'lampiran-list' });
  const el = h('section', { class: 'lampiran', 'aria-labelledby': headingId, 'data-testid': 'lampiran' },
    h('h3', { id: headingId }, t('lampiran.heading')),
    h('p', { class: 'step-help' }, t('lampiran.help')),
    counter,
    list);
  const rows = new Map();
  // "Ambil dari File Saya" only once there is something to take.
  const chooseButtons = [];
  let hasFiles = false;
  const showChoose = (on) => {
    hasFiles = on;
    chooseButtons.forEach((b) => { b.hidden = !on; });
  };

  const attachmentOf = (reqId) => (state.app.attachments || []).find((a) => a.requirementId === reqId);

  const updateCounter = () => {
    const mandatory = (state.app.persyaratan || []).filter((r) => r.mandatory);
    const done = mandatory.filter((r) => attachmentOf(r.id)).length;
    counter.textContent = t('lampiran.count', { done, total: mandatory.length });
    counter.classList.toggle('is-done', done === mandatory.length);
  };

  const accept = (app) => {
    state.app = app;
    rows.forEach((row) => row.refresh());
    updateCounter();
    onChange(app);
  };

  const failed = (err, show) => {
    if (err && err.kind === SESSION_ENDED) return;
    show((err && err.message) || t('err.server'));
  };

  function row(req) {
    const locked = Boolean(canChange) && !canChange(req.id);
    const toFix = Boolean(canChange) && !locked;
    const fileHost = h('div', { class: 'berkas-terlampir' });
    const uploadHost = h('div', { class: 'lampiran-upload' });
    const nameId = uniqueId('req-name');
    let busy = false;

    const setBusy = (on) => {
      busy = on;
      li.querySelectorAll('button').forEach((b) => { b.disabled = on; });
      li.setAttribute('aria-busy', on ? 'true' : 'false');
    };
    const message = (text, kind = 'failed') => {
      replaceChildren(uploadHost, h('p', {
        class: `upload-message upload-${kind === 'ok' ? 'ok' : 'failed'}`,
        role: kind === 'ok' ? 'status' : 'alert',
      }, text));
    };

    const attach = async (fileId) => {
      const app = await applicationsApi.attach(state.app.applicationId, req.id, fileId);
      accept(app);
    };

    const detach = async () => {
      if (busy) return;
      setBusy(true);
      replaceChildren(uploadHost);
      try {
        const app = await applicationsApi.detach(state.app.applicationId, req.id);
        accept(app);
        message(t('lampiran.detached'), 'ok');
      } catch (err) {
        failed(err, message);
      } finally {
        setBusy(false);
      }
    };

    /** Why these files cannot go to this requirement, or ''; and whether they become one PDF. */
    const plan = (files) => {
      const photos = files.every((f) => PHOTO_TYPES.includes(fileTypeOf(f)));
      const merge = photos && (files.length > 1 || !req.fileTypes.includes(fileTypeOf(files[0])));
      if (files.length > MAX_PAGES) return { problem: t('upload.tooManyPages') };
      if (files.length > 1 && !photos) return { problem: t('upload.mixed') };
      if (merge && !req.fileTypes.includes('pdf')) {
        return { problem: t('upload.badType', { name: files[1].name, types: formatFileTypes(req.fileTypes) }) };
      }
      const problem = files.map((f) => refusal(f, merge ? PHOTO_TYPES : req.fileTypes)).find(Boolean);
      return { problem: problem || '', merge };
    };

    const upload = async (files) => {
      if (busy) return;
      const { problem, merge } = plan(files);
      if (problem) {
        message(problem);
        return;
      }
      beforeUpload();
      const status = uploadStatus(files.length > 1 ? t('upload.pages', { n: files.length }) : files[0].name);
      replaceChildren(uploadHost, status.el);
      setBusy(true);
      try {
        const isAlive = () => li.isConnected;
        const result = merge
          ? await uploadPages(files, req.name, status, isAlive)
          : await uploadFile(files[0], {
            onProgress: status.setProgress, onChecking: status.checking, onRetry: status.retrying, isAlive,
          });
        if (!li.isConnected) return;
        showChoose(true);
        if (result.status === 'siap') {
          await attach(result.fileId);
          status.done(t('upload.attached', { name: result.fileName }));
        } else if (result.status === 'ditolak') {
          status.failed(t('upload.refused', { reason: result.reason || t('upload.noReason') }));
        } else {
          status.failed(t('upload.slowCheck'));
        }
      } catch (err) {
        if (err && err.kind === SESSION_ENDED) return;
        status.failed((err && err.message) || t('err.server'));
      } finally {
        if (li.isConnected) setBusy(false);
      }
    };

    const choose = () => {
      if (busy) return;
      pickFromFileSaya(req, async (file) => {
        setBusy(true);
        try {
          await attach(file.fileId);
          message(t('lampiran.chosen', { name: file.fileName }), 'ok');
          return '';
        } catch (err) {
          if (err && err.kind === SESSION_ENDED) return '';
          return (err && err.message) || t('err.server');
        } finally {
          setBusy(false);
        }
      });
    };

    // Photos are taken for every requirement (made into a PDF where only PDF is accepted).
    const types = [...new Set([...req.fileTypes, ...(req.fileTypes.includes('pdf') ? PHOTO_TYPES : [])])];
    const picker = filePicker({
      label: t('btn.unggahHp'), types, onFiles: upload, multiple: true, variant: 'primary', testid: `unggah-${req.id}`,
    });
    picker.btn.setAttribute('aria-describedby', nameId);
    // The camera straight away (capture), on touch screens; the main button also offers it on a phone.
    const camera = filePicker({
      label: t('btn.kamera'), types: PHOTO_TYPES, onFiles: upload, capture: 'environment', testid: `kamera-${req.id}`,
    });
    camera.btn.setAttribute('aria-describedby', nameId);
    camera.btn.hidden = !isTouch();
    const chooseBtn = h('button', {
      type: 'button', class: 'btn btn-secondary', 'aria-describedby': nameId, onclick: choose, hidden: !hasFiles,
      'data-action': 'ambil-file-saya',
    }, t('btn.ambilFileSaya'));
    chooseButtons.push(chooseBtn);

    const li = h('li', {
      class: ['lampiran-row', locked ? 'is-locked' : '', toFix ? 'is-to-fix' : ''],
      id: `lampiran-${req.id}`,
      'data-testid': `lampiran-${req.id}`,
      'data-locked': locked ? 'true' : null,
      tabindex: '-1',
    },
    h('div', { class: 'req-head' },
      h('h4', { class: 'req-name', id: nameId }, req.name),
      h('span', { class: `badge ${req.mandatory ? 'badge-wajib' : 'badge-opsional'}` },
        t(req.mandatory ? 'persyaratan.wajib' : 'persyaratan.opsional')),
      locked ? h('span', { class: 'badge badge-locked' }, icon('lock', 14), t('perbaikan.lockedBadge')) : null,
      toFix ? h('span', { class: 'badge badge-fix' }, icon('alert', 14), t('perbaikan.fixBadge')) : null),
    req.description ? h('p', { class: 'req-desc' }, req.description) : null,
    locked ? null : h('p', { class: 'req-types' }, typesText(req)),
    fileHost,
    locked ? h('p', { class: 'hint locked-note' }, t('perbaikan.lockedReq'))
      : h('div', { class: 'lampiran-actions' }, picker.btn, picker.input, camera.btn, camera.input, chooseBtn),
    uploadHost);

    const refresh = () => {
      const a = attachmentOf(req.id);
      li.classList.toggle('is-attached', Boolean(a));
      if (!a) {
        replaceChildren(fileHost, h('p', { class: 'lampiran-none' }, t('lampiran.none')));
        return;
      }
      replaceChildren(fileHost, h('div', { class: 'lampiran-attached', 'data-testid': 'berkas-terlampir' },
        h('span', { class: 'attach-icon' }, icon('check', 18)),
        h('span', { class: 'attach-text' },
          h('span', { class: 'attach-name' }, a.fileName),
          h('span', { class: 'attach-meta' }, t('lampiran.attachedAt', { when: formatDateTime(a.attachedAt) }))),
        locked ? null : h('button', {
          type: 'button', class: 'btn btn-secondary btn-small', onclick: detach, disabled: busy,
        }, t('btn.lepas'), h('span', { class: 'visually-hidden' }, ` ${a.fileName}`))));
    };
    refresh();
    return { li, refresh };
  }

  (state.app.persyaratan || []).forEach((req) => {
    const r = row(req);
    rows.set(req.id, r);
    list.appendChild(r.li);
  });
  updateCounter();
  filesApi.list({ limit: 1 }).then((page) => showChoose((page.items || []).length > 0)).catch(() => showChoose(true));
  return { el };
}

/**
 * "Pilih File": a dialog listing the applicant's checked files (status siap) whose
 * type the requirement accepts. onPick(file) resolves '' when done or an error to show.
 */
export function pickFromFileSaya(req, onPick) {
  const titleId = uniqueId('pilih-title');
  const descId = uniqueId('pilih-desc');
  const body = h('div', { class: 'pick-body', 'aria-live': 'polite' },
    h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('pilih.loading')));
  const problem = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const close = h('button', { type: 'button', class: 'btn btn-secondary' }, t('btn.tutup'));
  const dialog = h('dialog', { class: 'dialog dialog-wide', 'aria-labelledby': titleId, 'aria-describedby': descId, 'data-testid': 'pilih-file' },
    h('h2', { id: titleId, class: 'dialog-title' }, t('btn.ambilFileSaya')),
    h('p', { id: descId }, t('pilih.help', { name: req.name, types: formatFileTypes(req.fileTypes || []) })),
    problem,
    body,
    h('div', { class: 'dialog-actions' }, close));
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
  close.focus();

  const list = h('ul', { class: 'pick-list' });
  let cursor = null;
  let shown = 0;
  const more = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true }, t('btn.muatLagi'));

  const add = (files) => {
    files.filter((f) => f.status === 'siap' && (req.fileTypes || []).includes(f.fileType)).forEach((f) => {
      shown += 1;
      const pick = h('button', { type: 'button', class: 'pick-item', 'data-file-id': f.fileId },
        h('span', { class: 'pick-icon' }, icon('file', 20)),
        h('span', { class: 'pick-text' },
          h('span', { class: 'pick-name' }, f.fileName),
          h('span', { class: 'pick-meta' },
            `${String(f.fileType).toUpperCase()} · ${formatSize(f.size)} · ${formatDateTime(f.uploadedAt)}`)));
      pick.addEventListener('click', async () => {
        list.querySelectorAll('button').forEach((b) => { b.disabled = true; });
        problem.hidden = true;
        const error = await onPick(f);
        if (!error) {
          dialog.close();
          return;
        }
        list.querySelectorAll('button').forEach((b) => { b.disabled = false; });
        problem.textContent = error;
        problem.hidden = false;
      });
      list.appendChild(h('li', null, pick));
    });
  };

  const load = async () => {
    more.disabled = true;
    let page;
    try {
      page = await filesApi.list({ cursor, limit: 100 });
    } catch (err) {
      if (err && err.kind === SESSION_ENDED) {
        dialog.close();
        return;
      }
      problem.textContent = (err && err.message) || t('err.server');
      problem.hidden = false;
      more.disabled = false;
      if (!list.isConnected) replaceChildren(body);
      return;
    }
    if (!dialog.open) return;
    add(page.items || []);
    cursor = page.nextCursor || null;
    more.hidden = !cursor;
    more.disabled = false;
    if (!list.isConnected) {
      replaceChildren(body, list, more);
      const first = list.querySelector('button');
      if (first) first.focus();
    }
    if (!shown && !cursor) {
      replaceChildren(body, h('p', { class: 'empty' }, t('pilih.none', { types: formatFileTypes(req.fileTypes || []) })));
    }
  };
  more.addEventListener('click', load);
  load();
}
