import { clear } from './dom.js';
import {
  t, getLang, onLangChange, ready as wordsReady,
} from './i18n.js';
import { parseHash, redirect } from './router.js';
import { clearAlert, showError, focusPageHeading, loading, flash, showFlash } from './ui.js';
import {
  renderHeader, renderFooter, setActiveNav, closeMenus, showInboxCount,
} from './layout.js';
import { onUnreadChange, refreshUnread, unreadCount } from './inbox-count.js';
import {
  currentUser, isSignedIn, restoreSession, logout, onSessionChange, onSessionEnded, loginHash, currentPage,
} from './auth.js';
import { dropAllDrafts } from './form.js';
import { loadMeta } from './meta.js';
import { renderDashboard } from './page-dashboard.js';
import { soonPage, renderNotFound } from './page-soon.js';

const soon = (nav, titleKey, extra = {}) => ({
  nav, title: () => t(titleKey), render: soonPage(titleKey), soon: true, ...extra,
});
const lazy = (file, name) => (attempt) => import(`./${file}${attempt ? `?r=${attempt}` : ''}`).then((m) => m[name]);

/**
 * Route table: path -> { nav (menu key), title, render(root, ctx) }.
 * Larger pages give `load` instead of `render` and are fetched when first opened.
 * `auth: true` pages need a signed-in user; visitors are sent to #/masuk?next=<page>.
 */
export const ROUTES = {
  '/': { nav: 'dashboard', title: () => t('dashboard.title'), render: renderDashboard },
  '/pengajuan': {
    nav: 'pengajuan',
    title: () => t('wizard.title'),
    load: (attempt) => import(`./page-pengajuan.js${attempt ? `?r=${attempt}` : ''}`).then((m) => m.renderPengajuan),
  },
  '/masuk': { nav: 'masuk', title: () => t('login.title'), load: lazy('page-masuk.js', 'renderMasuk') },
  '/daftar': { nav: 'daftar', title: () => t('register.title'), load: lazy('page-daftar.js', 'renderDaftar') },
  '/lupa-password': {
    nav: null, title: () => t('forgot.title'), load: lazy('page-lupa-password.js', 'renderLupaPassword'),
  },
  '/reset-password': {
    nav: null, title: () => t('reset.title'), load: lazy('page-lupa-password.js', 'renderResetPassword'),
  },
  '/permohonan-saya': {
    nav: 'permohonanSaya', auth: true, title: () => t('nav.permohonanSaya'),
    load: lazy('page-permohonan-saya.js', 'renderPermohonanSaya'),
  },
  '/file-saya': { nav: 'fileSaya', auth: true, title: () => t('nav.fileSaya'), load: lazy('page-file-saya.js', 'renderFileSaya') },
  '/monitoring': { nav: 'monitoring', title: () => t('nav.monitoring'), load: lazy('page-monitoring.js', 'renderMonitoring') },
  '/survei': { nav: 'survey', auth: true, title: () => t('nav.survey'), load: lazy('page-survei.js', 'renderSurveiList') },
  '/pengaduan': { nav: 'pengaduan', auth: true, title: () => t('nav.pengaduan'), load: lazy('page-pengaduan.js', 'renderPengaduan') },
  '/inbox': { nav: 'inbox', auth: true, title: () => t('nav.inbox'), load: lazy('page-inbox.js', 'renderInbox') },
  '/kinerja': { nav: null, title: () => t('kinerja.title'), load: lazy('page-kinerja.js', 'renderKinerja') },
  '/verifikasi': { nav: null, title: () => t('verif.title'), load: lazy('page-verifikasi.js', 'renderVerifikasi') },
  '/profil': { nav: 'profil', auth: true, title: () => t('nav.profil'), load: lazy('page-profil.js', 'renderProfil') },
  '/ubah-password': {
    nav: 'ubahPassword', auth: true, title: () => t('nav.ubahPassword'), load: lazy('page-profil.js', 'renderUbahPassword'),
  },
};

/**
 * Routes with a variable part: /permohonan/<applicationId> (Isi Kelengkapan, or the perbaikan
 * of a returned application), its receipt, its Detail Informasi, and Monitoring Izin of one receipt.
 */
const APPLICATION_ID = '([A-Za-z0-9_-]{8,64})';
export const PATTERN_ROUTES = [
  {
    pattern: new RegExp(`^/permohonan/${APPLICATION_ID}$`),
    keys: ['id'],
    route: {
      nav: 'pengajuan', auth: true, title: () => t('wizard.title'), load: lazy('page-permohonan.js', 'renderPermohonan'),
    },
  },
  {
    pattern: new RegExp(`^/permohonan/${APPLICATION_ID}/resi$`),
    keys: ['id'],
    route: {
      nav: 'permohonanSaya', auth: true, title: () => t('resi.pageTitle'), load: lazy('page-resi.js', 'renderResi'),
    },
  },
  {
    // Anything like a receipt number: the page reads it as the API does, or says why it cannot.
    pattern: /^\/monitoring\/([A-Za-z0-9 -]{1,40})$/,
    keys: ['receipt'],
    route: ROUTES['/monitoring'],
  },
  {
    // The permit's QR code: anything id-like is asked about, so an altered code is answered "tidak valid".
    pattern: /^\/verifikasi\/([^/]{1,64})$/,
    keys: ['permitId'],
    route: ROUTES['/verifikasi'],
  },
  {
    pattern: new RegExp(`^/survei/${APPLICATION_ID}$`),
    keys: ['id'],
    route: { nav: 'survey', auth: true, title: () => t('survei.formTitle'), load: lazy('page-survei.js', 'renderSurveiForm') },
  },
  {
    pattern: /^\/pengaduan\/([A-Za-z0-9_-]{8,64})$/,
    keys: ['id'],
    route: { nav: 'pengaduan', auth: true, title: () => t('pengaduan.detailTitle'), load: lazy('page-pengaduan.js', 'renderDetailPengaduan') },
  },
  {
    pattern: new RegExp(`^/permohonan-saya/${APPLICATION_ID}$`),
    keys: ['id'],
    route: {
      nav: 'permohonanSaya', auth: true, title: () => t('detail.title'),
      load: lazy('page-permohonan-saya.js', 'renderDetailPermohonan'),
    },
  },
];

function findRoute(path) {
  if (ROUTES[path]) return { route: ROUTES[path], pathParams: {} };
  for (const entry of PATTERN_ROUTES) {
    const match = entry.pattern.exec(path);
    if (match) {
      const pathParams = {};
      entry.keys.forEach((key, i) => {
        pathParams[key] = match[i + 1];
      });
      return { route: entry.route, pathParams };
    }
  }
  return { route: NOT_FOUND, pathParams: {} };
}

const NOT_FOUND = { nav: null, title: () => t('notFound.title'), render: renderNotFound };

const header = document.getElementById('app-header');
const footer = document.getElementById('app-footer');
const page = document.getElementById('page');
const main = document.getElementById('main');

let renderCount = 0;
let currentNav = null;
let sessionStatus = 'none';

function setDocumentTitle(text) {
  document.title = `${text} · ${t('app.name')}`;
}

const loadAttempts = new Map();

/** Fetch a lazily loaded page; after a failed download a retry asks for a fresh copy. */
async function resolveRender(route) {
  const attempt = loadAttempts.get(route) || 0;
  loadAttempts.set(route, attempt + 1);
  route.render = await route.load(attempt);
  return route.render;
}

async function render({ moveFocus }) {
  const { path, params } = parseHash();
  const { route, pathParams } = findRoute(path);
  renderCount += 1;
  const id = renderCount;

  closeMenus();
  clearAlert();
  if (route.auth && !isSignedIn()) {
    if (sessionStatus === 'failed') {
      clear(page);
      showError({ kind: 'network', message: t('err.network') }, {
        retry: async () => {
          sessionStatus = await restoreSession();
          render({ moveFocus: true });
        },
      });
      return;
    }
    if (sessionStatus === 'ended') {
      sessionStatus = 'none';
      flash(t('auth.sessionEnded'), 'info');
    }
    redirect(loginHash(currentPage()));
    return;
  }
  if (sessionStatus === 'ended') sessionStatus = 'none';
  refreshUnread();
  showFlash();
  currentNav = route.nav;
  setActiveNav(header, currentNav);
  setDocumentTitle(route.title());
  clear(page);

  const ctx = {
    path,
    params,
    pathParams,
    isCurrent: () => id === renderCount,
    retry: () => render({ moveFocus: false }),
    setTitle: setDocumentTitle,
    // A page not built yet ("Segera hadir"): the dashboard marks its tile.
    isSoon: (hash) => Boolean(findRoute(parseHash(hash).path).route.soon),
  };
  let renderPage = route.render;
  if (!renderPage) {
    page.appendChild(loading());
    try {
      renderPage = await resolveRender(route);
    } catch {
      if (!ctx.isCurrent()) return;
      clear(page);
      showError({ kind: 'network', message: t('err.network') }, { retry: ctx.retry });
      return;
    }
    if (!ctx.isCurrent()) return;
    clear(page);
  }
  try {
    renderPage(page, ctx);
  } catch (err) {
    showError({ message: t('err.server') }, { retry: ctx.retry });
    throw err;
  }
  if (moveFocus) {
    window.scrollTo(0, 0);
    focusPageHeading();
  }
}

let signingOut = false;

async function signOut() {
  if (signingOut) return;
  signingOut = true;
  closeMenus();
  clearAlert();
  renderCount += 1; // a page still loading must not draw over the status below
  clear(page);
  page.appendChild(loading(t('auth.loggingOut')));
  try {
    await logout();
  } catch (err) {
    signingOut = false;
    await render({ moveFocus: false });
    showError(err, { hint: t('auth.logoutHint') });
    return;
  }
  signingOut = false;
  dropAllDrafts();
  flash(t('auth.loggedOut'));
  redirect('#/masuk');
}

function renderChrome() {
  document.documentElement.lang = getLang();
  renderHeader(header, { user: currentUser(), onLogout: signOut });
  setActiveNav(header, currentNav);
  showInboxCount(header, unreadCount());
  renderFooter(footer);
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('app.skip');
}

document.querySelector('.skip-link')?.addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
  main.scrollIntoView();
});

/** Settles once the session of an earlier visit is known; no page is drawn before. */
let booted = null;

window.addEventListener('hashchange', () => booted.then(() => render({ moveFocus: true })));

onLangChange((lang) => {
  renderChrome();
  booted.then(() => render({ moveFocus: false }));
  header.querySelector(`[data-lang="${lang}"]`)?.focus();
});

window.addEventListener('unhandledrejection', () => {
  showError({ message: t('err.server') }, { retry: () => render({ moveFocus: false }) });
});

onSessionChange(() => {
  renderChrome();
  refreshUnread();
});
onUnreadChange((n) => showInboxCount(header, n));

/** A signed-in call found the session over: keep what was typed (drafts) and ask to sign in again. */
onSessionEnded(() => {
  const { path } = parseHash();
  const { route } = findRoute(path);
  flash(t('auth.sessionEnded'), 'info');
  if (route && route.auth) redirect(loginHash(currentPage()));
  else render({ moveFocus: false });
});

function start() {
  // The chosen language's words, the session and the API's shared rules (GET /api/meta) are
  // asked for at once; the header draws with the words, pages after all three.
  booted = Promise.all([restoreSession(), loadMeta().catch(() => null), wordsReady]).then(([status]) => {
    sessionStatus = status;
  });
  wordsReady.then(() => {
    renderChrome();
    clear(page);
    page.appendChild(loading());
  });
  booted.then(() => render({ moveFocus: false }));
}

start();
