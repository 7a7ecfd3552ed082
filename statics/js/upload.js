import { h, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { ApiError, filesApi } from './api.js';
import { formatSize, formatFileTypes } from './format.js';
import { UPLOAD } from './meta.js';

/** What the API accepts: PDF, JPEG and PNG up to its limit (GET /api/meta). */
export const ALL_TYPES = ['pdf', 'jpeg', 'png'];
const CONTENT_TYPES = { pdf: 'application/pdf', jpeg: 'image/jpeg', png: 'image/png' };
const BY_CONTENT_TYPE = { 'application/pdf': 'pdf', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/png': 'png' };
const BY_EXTENSION = { pdf: 'pdf', jpg: 'jpeg', jpeg: 'jpeg', jpe: 'jpeg', png: 'png' };
const POLL_MS = 500;
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

/**
 * Upload one local file: presign, POST with progress, then wait for the check.
 * Resolves with the file as the API sees it at the end (status siap or ditolak).
 */
export async function uploadFile(file, { onProgress = () => {}, onChecking = () => {}, isAlive = () => true } = {}) {
  const type = fileTypeOf(file);
  const presigned = await filesApi.presign({
    fileName: safeName(file.name),
    contentType: CONTENT_TYPES[type],
    size: file.size,
  });
  onProgress(0);
  await postToStorage(presigned, file, onProgress);
  onChecking();
  return waitForCheck(presigned.fileId, isAlive);
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
    setProgress(fraction) {
      const value = Math.max(0, Math.min(100, Math.round(fraction * 100)));
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

/** A visually hidden file input and the button that opens it. */
export function filePicker({ label, types = ALL_TYPES, onFile, testid = null, variant = 'secondary' }) {
  const input = h('input', {
    type: 'file', accept: acceptFor(types), class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true',
  });
  const btn = h('button', { type: 'button', class: `btn btn-${variant}`, 'data-testid': testid }, label);
  btn.addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    input.value = '';
    if (file) onFile(file);
  });
  return { btn, input };
}
