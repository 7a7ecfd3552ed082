import { authApi, setAuthHeaderProvider, setUnauthorizedHandler } from './api.js';
import { buildHash, parseHash } from './router.js';

/**
 * The signed-in session. The access token lives in this module only (never in web
 * storage); after a reload the HttpOnly refresh cookie brings it back through
 * POST /api/auth/refresh. A one-character marker in localStorage only says that a
 * cookie may exist, so signed-out visitors are not sent a refresh request that must fail.
 */

const MARKER_KEY = 'eptsp.masuk';
const RENEW_MARGIN_S = 60;

let session = null; // { accessToken, expiresAt (ms), user }
let renewing = null;
let renewTimer = 0;
let endedHandler = null;
const listeners = new Set();

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function setMarker(on) {
  const store = storage();
  if (!store) return;
  try {
    if (on) store.setItem(MARKER_KEY, '1');
    else store.removeItem(MARKER_KEY);
  } catch {
    /* storage full or blocked: the session still works until the tab closes */
  }
}

function hasMarker() {
  const store = storage();
  try {
    return Boolean(store && store.getItem(MARKER_KEY));
  } catch {
    return false;
  }
}

function notify() {
  listeners.forEach((fn) => fn(session ? session.user : null));
}

function scheduleRenewal(expiresIn) {
  clearTimeout(renewTimer);
  const seconds = Number(expiresIn);
  if (!Number.isFinite(seconds) || seconds <= RENEW_MARGIN_S) return;
  renewTimer = setTimeout(() => {
    renew().then((result) => {
      if (result === 'ended') sessionEnded();
    });
  }, (seconds - RENEW_MARGIN_S) * 1000);
}

function accept(answer) {
  session = {
    accessToken: answer.accessToken,
    expiresAt: Date.now() + Number(answer.expiresIn || 0) * 1000,
    user: answer.user || null,
  };
  setMarker(true);
  scheduleRenewal(answer.expiresIn);
  notify();
}

function forget() {
  clearTimeout(renewTimer);
  const had = session !== null;
  session = null;
  setMarker(false);
  if (had) notify();
}

export function currentUser() {
  return session ? session.user : null;
}

export function isSignedIn() {
  return session !== null;
}

export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Keep the header and pages in step after the profile was saved. */
export function updateUser(user) {
  if (!session || !user) return;
  session.user = { ...session.user, ...user };
  notify();
}

/**
 * New tokens from the refresh cookie, one request at a time. Resolves 'ok', 'ended'
 * (the server has no live session: 401) or 'failed' (no answer; the session may live on).
 */
export function renew() {
  if (!renewing) {
    renewing = authApi.refresh()
      .then((answer) => {
        accept(answer);
        return 'ok';
      })
      .catch((err) => (err && err.status === 401 ? 'ended' : 'failed'))
      .finally(() => {
        renewing = null;
      });
  }
  return renewing;
}

/**
 * At page load: bring back the session of an earlier visit. Resolves with 'none'
 * (nobody was signed in), 'restored', 'ended' (the session ran out) or 'failed'.
 */
export async function restoreSession() {
  if (!hasMarker()) return 'none';
  const result = await renew();
  if (result === 'ok') return 'restored';
  if (result === 'ended') forget();
  return result;
}

export async function login(credentials) {
  const answer = await authApi.login(credentials);
  accept(answer);
  return answer.user;
}

export async function logout() {
  try {
    await authApi.logout();
  } catch (err) {
    if (!err || err.status !== 401) throw err;
    // The access token ran out: renew it so the server can still end the session.
    if ((await renew()) === 'ok') await authApi.logout();
  }
  forget();
}

/** Where the session-ended flow goes: set by the app (saves drafts, shows the notice, redirects). */
export function onSessionEnded(fn) {
  endedHandler = fn;
}

function sessionEnded() {
  const user = currentUser();
  forget();
  if (endedHandler) endedHandler(user);
}

setAuthHeaderProvider(() => (session ? { Authorization: `Bearer ${session.accessToken}` } : {}));
setUnauthorizedHandler(async () => {
  const result = await renew();
  if (result === 'ended') sessionEnded();
  return result;
});

if (typeof window !== 'undefined') {
  // Signed out in another tab: end this tab's session too.
  window.addEventListener('storage', (e) => {
    if (e.key === MARKER_KEY && !e.newValue && session) sessionEnded();
  });
}

/* ---------- where to go after signing in ---------- */

const OPEN_PAGES = new Set(['/masuk', '/daftar', '/lupa-password', '/reset-password']);

/** `next` from the address, if it names a page of this app that is worth returning to. */
export function safeNext(value) {
  const text = String(value || '');
  if (!/^\/[A-Za-z0-9\-_/]*(\?[A-Za-z0-9\-_.~%=&+]*)?$/.test(text) || text.startsWith('//')) return '';
  const { path } = parseHash(`#${text}`);
  return OPEN_PAGES.has(path) ? '' : text;
}

/** The login page's address, returning afterwards to `next` (a hash path like /profil). */
export function loginHash(next) {
  return buildHash('/masuk', { next: safeNext(next) });
}

/** The current page as a `next` value. */
export function currentPage() {
  return String(window.location.hash || '#/').replace(/^#/, '') || '/';
}
