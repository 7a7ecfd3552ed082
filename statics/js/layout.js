import { h, clear, icon } from './dom.js';
import { t, getLang, setLang, LANGS } from './i18n.js';

/** Main menu: top-level entries, one with sub-items (manual: Permohonan Izin). */
export const MAIN_MENU = [
  { key: 'dashboard', href: '#/', label: 'nav.dashboard' },
  {
    key: 'permohonanIzin',
    label: 'nav.permohonanIzin',
    children: [
      { key: 'pengajuan', href: '#/pengajuan', label: 'nav.pengajuan' },
      { key: 'permohonanSaya', href: '#/permohonan-saya', label: 'nav.permohonanSaya' },
      { key: 'fileSaya', href: '#/file-saya', label: 'nav.fileSaya' },
    ],
  },
  { key: 'monitoring', href: '#/monitoring', label: 'nav.monitoring' },
  { key: 'inbox', href: '#/inbox', label: 'nav.inbox' },
];

/** User menu entries for visitors and, once signed in, for the user (manual C.5-C.7). */
export const GUEST_MENU = [
  { key: 'masuk', href: '#/masuk', label: 'nav.masuk' },
  { key: 'daftar', href: '#/daftar', label: 'nav.daftar' },
];
export const USER_MENU = [
  { key: 'profil', href: '#/profil', label: 'nav.profil' },
  { key: 'ubahPassword', href: '#/ubah-password', label: 'nav.ubahPassword' },
];

const disclosures = [];

function disclosure(button, panel, { openClass } = {}) {
  const show = (on) => {
    if (openClass) panel.classList.toggle(openClass, on);
    else panel.hidden = !on;
  };
  const entry = {
    button,
    panel,
    open() {
      disclosures.forEach((d) => d !== entry && !d.panel.contains(button) && d.close());
      button.setAttribute('aria-expanded', 'true');
      show(true);
    },
    close() {
      button.setAttribute('aria-expanded', 'false');
      show(false);
    },
    isOpen: () => button.getAttribute('aria-expanded') === 'true',
  };
  button.addEventListener('click', () => (entry.isOpen() ? entry.close() : entry.open()));
  disclosures.push(entry);
  return entry;
}

export function closeMenus() {
  disclosures.forEach((d) => d.close());
}

let globalHandlersBound = false;
function bindGlobalHandlers() {
  if (globalHandlersBound) return;
  globalHandlersBound = true;
  document.addEventListener('click', (e) => {
    disclosures.forEach((d) => {
      if (d.isOpen() && !d.button.contains(e.target) && !d.panel.contains(e.target)) d.close();
    });
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    const open = disclosures.filter((d) => d.isOpen());
    if (!open.length) return;
    const inner = open.find((d) => d.panel.contains(document.activeElement)) || open[open.length - 1];
    inner.close();
    inner.button.focus();
  });
}

function menuLink(item) {
  if (item.key === 'inbox') {
    return h('a', { href: item.href, class: 'nav-link', 'data-nav': item.key, 'data-inbox-link': '' },
      h('span', null, t(item.label)), h('span', { class: 'count-badge', 'data-inbox-badge': '', 'aria-hidden': 'true', hidden: true }));
  }
  return h('a', { href: item.href, class: 'nav-link', 'data-nav': item.key }, t(item.label));
}

/** The Inbox entry of the header, for signed-in users: an envelope with the unread count. */
function inboxLink() {
  return h('a', {
    href: '#/inbox', class: 'inbox-link', 'data-inbox-link': '', 'data-testid': 'header-inbox', 'aria-label': t('nav.inbox'),
  }, icon('mail', 22), h('span', { class: 'count-badge', 'data-inbox-badge': '', 'aria-hidden': 'true', hidden: true }));
}

/** Show the unread count on every Inbox entry of the header; it is read out with the entry's name. */
export function showInboxCount(container, count) {
  const n = Math.max(0, Number(count) || 0);
  container.querySelectorAll('[data-inbox-link]').forEach((link) => {
    link.setAttribute('aria-label', t('inbox.linkLabel', { n }));
    const badge = link.querySelector('[data-inbox-badge]');
    badge.textContent = n > 99 ? '99+' : String(n);
    badge.hidden = n === 0;
  });
}

function userMenu(user, onLogout) {
  // The person icon always carries a visible word: the user's name, or "Akun" for a visitor.
  const label = user ? user.name || user.username : t('user.menuShort');
  const button = h('button', {
    type: 'button', class: 'user-btn', 'aria-expanded': 'false', 'aria-controls': 'user-menu',
    'data-testid': 'user-menu-button',
  }, icon('user', 20),
  h('span', { class: ['user-btn-label', 'user-btn-name'] },
    user ? h('span', { class: 'visually-hidden' }, `${t('user.menu')}: `) : null, label),
  icon('chevron', 16));
  const panel = user
    ? h('div', { id: 'user-menu', class: 'dropdown-panel dropdown-right', hidden: true },
      h('p', { class: 'dropdown-note' }, t('user.signedInAs'),
        h('strong', { class: 'dropdown-user', 'data-testid': 'user-name' }, user.name || user.username)),
      h('ul', { class: 'dropdown-list' },
        USER_MENU.map((item) => h('li', null, menuLink(item))),
        h('li', null, h('button', {
          type: 'button', class: 'nav-link nav-logout', 'data-action': 'keluar', onclick: onLogout,
        }, t('nav.keluar'), icon('logout', 20)))))
    : h('div', { id: 'user-menu', class: 'dropdown-panel dropdown-right', hidden: true },
      h('p', { class: 'dropdown-note' }, t('user.guest')),
      h('ul', { class: 'dropdown-list' }, GUEST_MENU.map((item) => h('li', null, menuLink(item)))));
  disclosure(button, panel);
  return h('div', { class: 'dropdown' }, button, panel);
}

/** options.user: the signed-in user or null; options.onLogout: the Keluar action. */
export function renderHeader(container, { user = null, onLogout = null } = {}) {
  disclosures.length = 0;
  bindGlobalHandlers();
  clear(container);

  const wordmark = h('a', { class: 'wordmark', href: '#/', 'aria-label': t('app.homeLink') },
    // The space keeps the visible words inside the accessible name (WCAG 2.5.3).
    h('span', { class: 'wordmark-top' }, t('app.wordmarkTop')), ' ',
    h('span', { class: 'wordmark-bottom' }, t('app.wordmarkBottom')));

  const lang = getLang();
  const langGroup = h('div', { class: 'lang-toggle', role: 'group', 'aria-label': t('lang.label') },
    LANGS.map((code) => h('button', {
      type: 'button',
      class: 'lang-btn',
      'data-lang': code,
      'aria-pressed': code === lang ? 'true' : 'false',
      onclick: () => setLang(code),
    }, code.toUpperCase(), h('span', { class: 'visually-hidden', lang: code }, ` ${t(`lang.${code}`)}`))));

  const navToggle = h('button', {
    type: 'button', class: 'nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'main-nav',
  }, icon('menu', 20), h('span', null, t('nav.toggle')));

  const navList = h('ul', { class: 'nav-list' });
  MAIN_MENU.forEach((item) => {
    if (!item.children) {
      navList.appendChild(h('li', { class: 'nav-item' }, menuLink(item)));
      return;
    }
    const subId = `sub-${item.key}`;
    const subButton = h('button', {
      type: 'button', class: 'nav-link nav-sub-toggle', 'aria-expanded': 'false', 'aria-controls': subId,
      'data-nav-group': item.key,
    }, h('span', null, t(item.label)), icon('chevron', 16));
    const subList = h('ul', { id: subId, class: 'nav-sub', hidden: true },
      item.children.map((child) => h('li', null, menuLink(child))));
    disclosure(subButton, subList);
    navList.appendChild(h('li', { class: 'nav-item has-sub' }, subButton, subList));
  });
  const nav = h('nav', { id: 'main-nav', class: 'main-nav', 'aria-label': t('nav.label') },
    h('div', { class: 'container' }, navList));
  disclosure(navToggle, nav, { openClass: 'is-open' });

  container.appendChild(h('div', { class: 'header-bar' },
    h('div', { class: 'container header-inner' },
      wordmark,
      h('div', { class: 'header-actions' },
        langGroup,
        user ? inboxLink() : null,
        userMenu(user, onLogout),
        navToggle))));
  container.appendChild(nav);
}

/** Mark the menu entry of the current page with aria-current="page". */
export function setActiveNav(container, key) {
  container.querySelectorAll('[data-nav]').forEach((a) => {
    if (a.dataset.nav === key) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  MAIN_MENU.filter((m) => m.children).forEach((m) => {
    const btn = container.querySelector(`[data-nav-group="${m.key}"]`);
    if (btn) btn.classList.toggle('is-active', m.children.some((c) => c.key === key));
  });
}

export function renderFooter(container) {
  clear(container);
  const year = new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: 'Asia/Makassar' }).format(new Date());
  container.appendChild(h('div', { class: 'container' },
    h('p', { class: 'footer-office' }, t('app.office')),
    h('p', null, t('footer.rights', { year })),
    h('p', null, t('footer.tz')),
    h('p', null, h('a', { href: '#/kinerja', 'data-testid': 'footer-kinerja' }, t('footer.kinerja')))));
}
