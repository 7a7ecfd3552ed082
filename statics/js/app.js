import { clear } from './dom.js';
import { t, getLang, onLangChange } from './i18n.js';
import { parseHash } from './router.js';
import { clearAlert, showError, focusPageHeading, loading } from './ui.js';
import { renderHeader, renderFooter, setActiveNav, closeMenus } from './layout.js';
import { renderDashboard } from './page-dashboard.js';
import { soonPage, renderNotFound } from './page-soon.js';

const soon = (nav, titleKey) => ({ nav, title: () => t(titleKey), render: soonPage(titleKey) });

/**
 * Route table: path -> { nav (menu key), title, render(root, ctx) }.
 * Larger pages give `load` instead of `render` and are fetched when first opened.
 */
export const ROUTES = {
  '/': { nav: 'dashboard', title: () => t('dashboard.title'), render: renderDashboard },
  '/pengajuan': {
    nav: 'pengajuan',
    title: () => t('wizard.title'),
    load: (attempt) => import(`./page-pengajuan.js${attempt ? `?r=${attempt}` : ''}`).then((m) => m.renderPengajuan),
  },
  '/masuk': soon('masuk', 'nav.masuk'),
  '/daftar': soon('daftar', 'nav.daftar'),
  '/permohonan-saya': soon('permohonanSaya', 'nav.permohonanSaya'),
  '/file-saya': soon('fileSaya', 'nav.fileSaya'),
  '/monitoring': soon('monitoring', 'nav.monitoring'),
  '/survey': soon('survey', 'nav.survey'),
  '/pengaduan': soon('pengaduan', 'nav.pengaduan'),
  '/inbox': soon('inbox', 'nav.inbox'),
  '/profil': soon('profil', 'nav.profil'),
  '/ubah-password': soon('ubahPassword', 'nav.ubahPassword'),
};
const NOT_FOUND = { nav: null, title: () => t('notFound.title'), render: renderNotFound };

const header = document.getElementById('app-header');
const footer = document.getElementById('app-footer');
const page = document.getElementById('page');
const main = document.getElementById('main');

let renderCount = 0;
let currentNav = null;

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
  const route = ROUTES[path] || NOT_FOUND;
  renderCount += 1;
  const id = renderCount;

  closeMenus();
  clearAlert();
  currentNav = route.nav;
  setActiveNav(header, currentNav);
  setDocumentTitle(route.title());
  clear(page);

  const ctx = {
    path,
    params,
    isCurrent: () => id === renderCount,
    retry: () => render({ moveFocus: false }),
    setTitle: setDocumentTitle,
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

function renderChrome() {
  document.documentElement.lang = getLang();
  renderHeader(header);
  setActiveNav(header, currentNav);
  renderFooter(footer);
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('app.skip');
}

document.querySelector('.skip-link')?.addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
  main.scrollIntoView();
});

window.addEventListener('hashchange', () => render({ moveFocus: true }));

onLangChange((lang) => {
  renderChrome();
  render({ moveFocus: false });
  header.querySelector(`[data-lang="${lang}"]`)?.focus();
});

window.addEventListener('unhandledrejection', () => {
  showError({ message: t('err.server') }, { retry: () => render({ moveFocus: false }) });
});

renderChrome();
render({ moveFocus: false });
