import { h, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { ApiError, filesApi, newIdempotencyKey } from './api.js';
import { formatSize, formatFileTypes } from './format.js';
import { UPLOAD } from './meta.js';

/** What the API accepts: PDF, JPEG and PNG up to its limit (GET /api/meta). */
export const ALL_TYPES = ['pdf', 'jpeg', 'png'];
const CONTENT_TYPES = { pdf: 'application/pdf', jpeg: 'image/jpeg', png: 'image/png' };
const BY_CONTENT_TYPE = { 'application/pdf': 'pdf', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/png': 'png' };
const BY_EXTENSION = { pdf: 'pdf', jpg: 'jpeg', jpeg: 'jpeg', jpe: 'jpeg', png: 'png' };
const POLL_MS = 500;
// A dropped connection is tried again by itself, three times, waiting longer each time.
export const RETRIES = 3;
const BACKOFF_MS = [1000, 2000, 4000];
export const MAX_PAGES = 10;
const POLL_LIMIT_MS = 90 * 1000;
const UPLOAD_TIMEOUT_MS = 10 * 60 * 1000;

/** The `accept` attribute of a file input for these types. */
export function acceptFor(types = ALL_TYPES) {
  return types.flatMap((type) => {
    if (type === 'jpeg') return ['image/jpeg', '.jpg', '.jpeg'];
    return [CONTENT_TYPES[type], `.${type}`];
  }).filter(Boolean).join(',');
}

/** pdf | jpeg | png from the browser's type or, failing that, the file name; '' otherwise. */
export function fileTypeOf(file) {
  const byType = BY_CONTENT_TYPE[String(file.type || '').toLowerCase()];
  if (byType) return byType;
  const ext = String(file.name || '').toLowerCase().split('.').pop();
  return BY_EXTENSION[ext] || '';
}

/** Why this local file cannot be uploaded (checked before anything is sent), or ''. */
export function refusal(file, accepted = ALL_TYPES) {
  const type = fileTypeOf(file);
  if (!type || !accepted.includes(type)) {
    return t('upload.badType', { name: file.name, types: formatFileTypes(accepted) });
  }
  if (!file.size) return t('upload.empty', { name: file.name });
  if (file.size > UPLOAD.maxBytes) return t('upload.tooBig', { name: file.name, size: formatSize(file.size), max: formatSize(UPLOAD.maxBytes) });
  return '';
}

/** A name the storage accepts: no path or control characters, at most 200 characters. */
function safeName(name) {
  // eslint-disable-next-line no-control-regex
  let clean = String(name || 'berkas').replace(/[/\\<>:"|?*\u0000-\u001f]/g, '_').trim() || 'berkas';
  if (clean.length > 200) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 6 ? clean.slice(dot) : '';
    clean = clean.slice(0, 200 - ext.length) + ext;
  }
  return clean;
}

function postToStorage(presigned, file, onProgress) {
  return new Promise((resolve, reject) => {
    const body = new FormData();
    Object.entries(presigned.fields || {}).forEach(([key, value]) => body.append(key, value));
    body.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', presigned.url);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && e.total) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      if (xhr.status === 201 || xhr.status === 204 || xhr.status === 200) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError({ kind: 'http', status: xhr.status, message: t('upload.failed', { status: xhr.status }) }));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError({ kind: 'network', message: t('upload.network') })));
    xhr.addEventListener('timeout', () => reject(new ApiError({ kind: 'timeout', message: t('upload.network') })));
    xhr.send(body);
  });
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

async function waitForCheck(fileId, isAlive) {
  const started = Date.now();
  for (;;) {
    const file = await filesApi.get(fileId);
    if (file.status !== 'menunggu') return file;
    if (Date.now() - started > POLL_LIMIT_MS) {
      throw new ApiError({ kind: 'timeout', message: t('upload.slowCheck') });
    }
    await sleep(POLL_MS);
    if (!isAlive()) return file;
  }
}

/** A lost connection, a timeout or a busy server: worth another try. A refusal is not. */
const worthRetrying = (err) => Boolean(err) && (err.kind === 'network' || err.kind === 'timeout'
  || (err.kind === 'http' && (err.status >= 500 || err.status === 429)));

/**
 * Upload one local file: presign, POST with progress, then wait for the check. A dropped
 * connection starts again with a fresh grant, up to RETRIES times with a growing pause;
 * onRetry(n) says so. Resolves with the file as the API sees it at the end (siap or ditolak).
 */
export async function uploadFile(file, {
  onProgress = () => {}, onChecking = () => {}, onRetry = () => {}, isAlive = () => true,
} = {}) {
  const type = fileTypeOf(file);
  let presigned;
  for (let attempt = 0; ; attempt += 1) {
    try {
      presigned = await filesApi.presign({
        fileName: safeName(file.name),
        contentType: CONTENT_TYPES[type],
        size: file.size,
      });
      onProgress(0);
      await postToStorage(presigned, file, onProgress);
      break;
    } catch (err) {
      if (attempt >= RETRIES || !worthRetrying(err) || !isAlive()) throw err;
      onRetry(attempt + 1);
      await sleep(BACKOFF_MS[attempt]);
    }
  }
  onChecking();
  return waitForCheck(presigned.fileId, isAlive);
}

/** The merged PDF's name: the requirement's, so File Saya says what it is. */
function pdfName(name) {
  return `${safeName(name).slice(0, 190)}.pdf`;
}

/**
 * Photos of a document's pages: each uploaded and checked, then merged by the server into
 * one PDF (the pages leave File Saya afterwards). `status` is an uploadStatus(); resolves
 * with the PDF, or with a refused page (status ditolak) as it is.
 */
export async function uploadPages(files, name, status, isAlive = () => true) {
  const pages = [];
  for (let i = 0; i < files.length; i += 1) {
    status.page(i + 1, files.length);
    const page = await uploadFile(files[i], {
      onProgress: (fraction) => status.setProgress((i + fraction) / files.length),
      onChecking: () => {},
      onRetry: status.retrying,
      isAlive,
    });
    if (page.status !== 'siap') return page;
    pages.push(page);
  }
  status.merging(files.length);
  const key = newIdempotencyKey();
  let merged;
  for (let attempt = 0; ; attempt += 1) {
    try {
      merged = await filesApi.merge(pages.map((p) => p.fileId), pdfName(name), key);
      break;
    } catch (err) {
      if (attempt >= RETRIES || !worthRetrying(err) || !isAlive()) throw err;
      status.retrying(attempt + 1);
      await sleep(BACKOFF_MS[attempt]);
    }
  }
  // The pages live on in the PDF; File Saya keeps only that (a page that stays is harmless).
  await Promise.all(pages.map((p) => filesApi.remove(p.fileId).catch(() => null)));
  return merged;
}

/**
 * The visible state of one upload: a labelled <progress> with its percentage, then
 * "Memeriksa berkas…", then the outcome. The element stays until the page changes.
 */
export function uploadStatus(fileName) {
  const id = uniqueId('upload');
  const progress = h('progress', { id, max: '100', value: '0' });
  const percent = h('span', { class: 'progress-text', 'aria-hidden': 'true' }, '0%');
  const message = h('p', { class: 'upload-message', role: 'status' }, t('upload.sending'));
  const label = h('label', { for: id, class: 'upload-label' }, t('upload.label', { name: fileName }));
  const el = h('div', { class: 'upload-status', 'data-testid': 'upload-progress', 'data-state': 'mengunggah' },
    label,
    h('div', { class: 'progress-row' }, progress, percent),
    message);
  const state = (name) => el.setAttribute('data-state', name);
  let shown = -1;
  return {
    el,
    /** Page i of n is on its way. */
    page(i, n) {
      label.textContent = t('upload.label', { name: fileName });
      message.textContent = t('upload.pageOf', { i, n });
    },
    /** The connection dropped: the nth of RETRIES tries is coming (kept on the element). */
    retrying(n) {
      state('mencoba-lagi');
      el.setAttribute('data-retries', String(n));
      message.textContent = t('upload.retrying', { n });
    },
    merging(n) {
      state('menggabung');
      progress.value = 100;
      percent.textContent = '100%';
      message.textContent = t('upload.merging', { n });
    },
    setProgress(fraction) {
      const value = Math.max(0, Math.min(100, Math.round(fraction * 100)));
      if (el.getAttribute('data-state') === 'mencoba-lagi' && value > 0) {
        state('mengunggah');
        message.textContent = t('upload.sending');
      }
      if (value === shown) return;
      shown = value;
      progress.value = value;
      percent.textContent = `${value}%`;
    },
    checking() {
      state('memeriksa');
      progress.value = 100;
      percent.textContent = '100%';
      message.textContent = t('upload.checking');
    },
    done(text) {
      state('siap');
      label.textContent = t('upload.labelDone', { name: fileName });
      message.className = 'upload-message upload-ok';
      message.textContent = text;
    },
    failed(text) {
      state('gagal');
      label.textContent = t('upload.labelDone', { name: fileName });
      message.className = 'upload-message upload-failed';
      message.setAttribute('role', 'alert');
      message.textContent = text;
    },
  };
}

/**
 * A visually hidden file input and the button that opens it. `multiple`: onFiles(files)
 * gets every file chosen; `capture`: the input opens the camera (a phone then offers no file).
 */
export function filePicker({
  label, types = ALL_TYPES, onFile, onFiles = null, testid = null, variant = 'secondary', multiple = false, capture = null,
}) {
  const input = h('input', {
    type: 'file',
    accept: acceptFor(types),
    class: 'visually-hidden',
    tabindex: '-1',
    'aria-hidden': 'true',
    multiple: multiple || null,
    capture,
    'data-testid': testid ? `${testid}-input` : null,
  });
  const btn = h('button', { type: 'button', class: `btn btn-${variant}`, 'data-testid': testid }, label);
  btn.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const files = Array.from(input.files || []);
    input.value = '';
    if (!files.length) return;
    if (onFiles) onFiles(files);
    else onFile(files[0]);
  });
  return { btn, input };
}
