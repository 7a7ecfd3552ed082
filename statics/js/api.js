import { t } from './i18n.js';
import { errorMessage } from './error-texts.js';

const TIMEOUT_MS = 30000;
const memo = new Map();

/**
 * Raised for every failed request. `kind` is one of
 * network | timeout | http | parse; `message` is ready to show.
 */
export class ApiError extends Error {
  constructor({ kind, status = 0, code = '', field = '', message }) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** Kind of the error raised when a signed-in call failed and the session could not be renewed. */
export const SESSION_ENDED = 'session';

function statusMessage(status) {
  if (status === 404) return t('err.notFound');
  if (status === 429) return t('err.tooMany');
  if (status >= 500) return t('err.server');
  return t('err.generic', { status });
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

let authHeaderProvider = null;
let unauthorizedHandler = null;

/** Later pages register a function returning extra headers (e.g. Authorization). */
export function setAuthHeaderProvider(fn) {
  authHeaderProvider = fn;
}

/**
 * Called when a request sent with an Authorization header is answered 401. It resolves
 * 'ok' when the session was renewed (the request is then sent once more), 'ended' when
 * the session is over, or 'failed' when the server could not be asked.
 */
export function setUnauthorizedHandler(fn) {
  unauthorizedHandler = fn;
}

/**
 * fetch wrapper for the same-origin JSON API. Resolves with the parsed body,
 * rejects with ApiError carrying the server's {code, message, field} when present.
 * `renew: false` turns off the renew-and-retry on 401 (sign-in calls answer 401 themselves).
 */
export async function request(method, path, options = {}) {
  const { body, headers = {}, timeout = TIMEOUT_MS, renew = true } = options;
  const auth = authHeaderProvider ? authHeaderProvider() : {};
  const init = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json', ...auth, ...headers },
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const controller = new AbortController();
  init.signal = controller.signal;
  const timer = setTimeout(() => controller.abort(), timeout);

  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    clearTimeout(timer);
    if (controller.signal.aborted) {
      throw new ApiError({ kind: 'timeout', message: t('err.timeout') });
    }
    throw new ApiError({ kind: 'network', message: t('err.network') });
  }

  let data;
  try {
    data = await readBody(response);
  } catch {
    clearTimeout(timer);
    const kind = controller.signal.aborted ? 'timeout' : 'network';
    throw new ApiError({ kind, status: response.status, message: t(`err.${kind}`) });
  }
  clearTimeout(timer);

  if (response.status === 401 && renew && init.headers.Authorization && unauthorizedHandler) {
    const renewed = await unauthorizedHandler();
    if (renewed === 'ok') return request(method, path, { ...options, renew: false });
    if (renewed === 'failed') throw new ApiError({ kind: 'network', message: t('err.network') });
    throw new ApiError({ kind: SESSION_ENDED, status: 401, code: 'SESI_BERAKHIR', message: t('auth.sessionEnded') });
  }
  if (!response.ok) {
    const serverMessage = data && typeof data.message === 'string' && data.message.trim();
    const code = (data && typeof data.code === 'string' && data.code) || '';
    throw new ApiError({
      kind: 'http',
      status: response.status,
      code,
      field: (data && typeof data.field === 'string' && data.field) || '',
      message: errorMessage(code, serverMessage) || statusMessage(response.status),
    });
  }
  if (data === undefined) {
    throw new ApiError({ kind: 'parse', status: response.status, message: t('err.badData') });
  }
  return data;
}

/** A key made once per user action and sent again on its retries (Idempotency-Key). */
export function newIdempotencyKey() {
  if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fileNameOf(response, fallback) {
  const header = response.headers.get('Content-Disposition') || '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
  if (!match) return fallback;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/**
 * GET a file (e.g. the receipt PDF) with the session's bearer token: resolves
 * { blob, fileName }; failures are ApiErrors as for request().
 */
export async function download(path, accept, { renew = true } = {}) {
  const auth = authHeaderProvider ? authHeaderProvider() : {};
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response;
  let blob;
  try {
    response = await fetch(path, {
      method: 'GET', credentials: 'same-origin', headers: { Accept: accept, ...auth }, signal: controller.signal,
    });
    blob = response.ok ? await response.blob() : null;
  } catch {
    clearTimeout(timer);
    const kind = controller.signal.aborted ? 'timeout' : 'network';
    throw new ApiError({ kind, message: t(`err.${kind}`) });
  }
  if (response.status === 401 && renew && auth.Authorization && unauthorizedHandler) {
    clearTimeout(timer);
    const renewed = await unauthorizedHandler();
    if (renewed === 'ok') return download(path, accept, { renew: false });
    if (renewed === 'failed') throw new ApiError({ kind: 'network', message: t('err.network') });
    throw new ApiError({ kind: SESSION_ENDED, status: 401, code: 'SESI_BERAKHIR', message: t('auth.sessionEnded') });
  }
  if (!response.ok) {
    let data = null;
    try {
      data = await readBody(response);
    } catch {
      /* the status says enough */
    }
    clearTimeout(timer);
    const serverMessage = data && typeof data.message === 'string' && data.message.trim();
    const code = (data && typeof data.code === 'string' && data.code) || '';
    throw new ApiError({
      kind: 'http', status: response.status, code, message: errorMessage(code, serverMessage) || statusMessage(response.status),
    });
  }
  clearTimeout(timer);
  return { blob, fileName: fileNameOf(response, path.split('/').pop()) };
}

/** GET with an in-memory cache of successful answers (catalogue data changes rarely). */
export function get(path, { cache = false } = {}) {
  if (cache && memo.has(path)) return Promise.resolve(memo.get(path));
  return request('GET', path).then((data) => {
    if (cache) memo.set(path, data);
    return data;
  });
}

export const post = (path, body, opts) => request('POST', path, { ...opts, body });
export const put = (path, body, opts) => request('PUT', path, { ...opts, body });
export const del = (path, opts) => request('DELETE', path, opts);

export function clearCache() {
  memo.clear();
}

const seg = encodeURIComponent;
const open = { renew: false };

export const authApi = {
  captcha: () => request('GET', '/api/auth/captcha', open),
  register: (body) => request('POST', '/api/auth/register', { ...open, body }),
  login: (body) => request('POST', '/api/auth/login', { ...open, body }),
  refresh: () => request('POST', '/api/auth/refresh', { ...open, body: {} }),
  logout: () => request('POST', '/api/auth/logout', { ...open, body: {} }),
  forgotPassword: (body) => request('POST', '/api/auth/forgot-password', { ...open, body }),
  resetPassword: (body) => request('POST', '/api/auth/reset-password', { ...open, body }),
};

export const me = {
  get: () => request('GET', '/api/me'),
  update: (body) => request('PUT', '/api/me', { body }),
  changePassword: (body) => request('POST', '/api/me/password', { body }),
};

export const catalogue = {
  listIzin: () => get('/api/catalogue/izin', { cache: true }),
  getIzin: (izinId) => get(`/api/catalogue/izin/${seg(izinId)}`, { cache: true }),
  getPersyaratan: (jenisPermohonanId) =>
    get(`/api/catalogue/permohonan/${seg(jenisPermohonanId)}/persyaratan`, { cache: true }),
};

function query(params) {
  const qs = new URLSearchParams();
  Object.entries(params).forEach(([key, value]) => {
    if (value !== null && value !== undefined && value !== '') qs.set(key, String(value));
  });
  const text = qs.toString();
  return text ? `?${text}` : '';
}

/** Drafts of step 4 (Isi Kelengkapan) and Permohonan Saya. */
export const applicationsApi = {
  create: (jenisPermohonanId) => post('/api/applications', { jenisPermohonanId }),
  list: ({
    q, status, jenisPermohonanId, cursor, limit = 20,
  } = {}) => get(`/api/applications${query({
    q, status, jenisPermohonanId, cursor, limit,
  })}`),
  get: (id) => get(`/api/applications/${seg(id)}`),
  cancel: (id) => del(`/api/applications/${seg(id)}`),
  saveSection: (id, section, version, data) =>
    put(`/api/applications/${seg(id)}/sections/${seg(section)}`, { version, data }),
  attach: (id, requirementId, fileId) => put(`/api/applications/${seg(id)}/attachments/${seg(requirementId)}`, { fileId }),
  detach: (id, requirementId) => del(`/api/applications/${seg(id)}/attachments/${seg(requirementId)}`),
  declare: (id, version, agreed) => put(`/api/applications/${seg(id)}/declaration`, { version, agreed }),
  completeness: (id) => get(`/api/applications/${seg(id)}/completeness`),
  submit: (id, version, idempotencyKey) => post(`/api/applications/${seg(id)}/submit`, { version }, {
    headers: { 'Idempotency-Key': idempotencyKey },
  }),
  resubmit: (id, version, idempotencyKey) => post(`/api/applications/${seg(id)}/resubmit`, { version }, {
    headers: { 'Idempotency-Key': idempotencyKey },
  }),
  receipt: (id) => download(`/api/applications/${seg(id)}/receipt`, 'application/pdf'),
  permit: (id) => download(`/api/applications/${seg(id)}/permit`, 'application/pdf'),
};

/** Inbox (manual C.4): the signed-in user's own messages, newest first. */
export const inboxApi = {
  list: ({ cursor } = {}) => get(`/api/inbox${query({ cursor })}`),
  unreadCount: () => get('/api/inbox/unread-count'),
  markRead: (messageId) => post(`/api/inbox/${seg(messageId)}/read`, {}),
  markAllRead: () => post('/api/inbox/read-all', {}),
};

/** Public verification of an issued permit (the address of its QR code). */
export const verifyApi = {
  get: (permitId) => request('GET', `/api/verify/${seg(permitId)}`, { renew: false }),
};

/** Monitoring Izin: what anyone holding the receipt may see, and the history for its owner or an officer. */
export const monitoringApi = {
  get: (receiptNumber) => get(`/api/monitoring/${seg(receiptNumber)}`),
  riwayat: (receiptNumber) => get(`/api/monitoring/${seg(receiptNumber)}/riwayat`),
};

/** File Saya: uploads by presigned POST, the list, one file (with its download link), deletion. */
export const filesApi = {
  presign: (body) => post('/api/files/presign', body),
  list: ({ cursor, limit = 50 } = {}) => get(`/api/files${query({ cursor, limit })}`),
  get: (id) => get(`/api/files/${seg(id)}`),
  remove: (id) => del(`/api/files/${seg(id)}`),
  /** Photos of pages (checked JPEG/PNG files) merged into one PDF; one key per merge, kept for its retries. */
  merge: (fileIds, fileName, idempotencyKey) => post('/api/files/merge', { fileIds, fileName }, {
    headers: { 'Idempotency-Key': idempotencyKey },
  }),
};
