import { h, icon, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { isSignedIn } from './auth.js';

export const DASHBOARD_TILES = [
  { key: 'pengajuan', href: '#/pengajuan', icon: 'file' },
  { key: 'permohonanSaya', href: '#/permohonan-saya', icon: 'list' },
  { key: 'fileSaya', href: '#/file-saya', icon: 'folder' },
  { key: 'monitoring', href: '#/monitoring', icon: 'search' },
  { key: 'inbox', href: '#/inbox', icon: 'mail' },
  { key: 'survey', href: '#/survei', icon: 'star' },
  { key: 'pengaduan', href: '#/pengaduan', icon: 'chat' },
];

/** A visitor sees the way in at once: Masuk and Daftar on the first screen, no menu to open. */
function guestPanel() {
  return h('section', { class: 'panel panel-guest', 'aria-labelledby': 'guest-title', 'data-testid': 'masuk-daftar' },
    h('span', { class: 'panel-icon' }, icon('user', 32)),
    h('div', null,
      h('h2', { id: 'guest-title' }, t('dashboard.guestTitle')),
      h('p', null, t('dashboard.guestBody')),
      h('p', { class: 'panel-actions' },
        h('a', { class: 'btn btn-primary', href: '#/masuk', 'data-action': 'masuk' }, t('nav.masuk')),
        h('a', { class: 'btn btn-secondary', href: '#/daftar', 'data-action': 'daftar' }, t('nav.daftar')))));
}

export function renderDashboard(root, ctx = {}) {
  root.appendChild(h('h1', { tabindex: '-1' }, t('dashboard.title')));
  root.appendChild(h('p', { class: 'lead' }, t('dashboard.welcome')));
  if (!isSignedIn()) root.appendChild(guestPanel());
  const list = h('ul', { class: 'tiles', 'aria-label': t('dashboard.menuHeading') });
  DASHBOARD_TILES.forEach((tile) => {
    const descId = uniqueId('tile-desc');
    const soon = Boolean(ctx.isSoon && ctx.isSoon(tile.href));
    list.appendChild(h('li', { class: ['tile', soon ? 'is-soon' : ''], 'data-soon': soon ? 'true' : null },
      h('span', { class: 'tile-icon' }, icon(tile.icon, 28)),
      h('div', { class: 'tile-text' },
        h('h2', { class: 'tile-title' },
          h('a', { href: tile.href, 'data-testid': `tile-${tile.key}`, 'aria-describedby': descId },
            t(`nav.${tile.key}`))),
        soon ? h('span', { class: 'badge badge-soon', 'data-testid': 'segera-hadir-badge' }, t('dashboard.soon')) : null,
        h('p', { id: descId, class: 'tile-desc' },
          soon ? h('span', { class: 'visually-hidden' }, `${t('dashboard.soonNote')}. `) : null,
          t(`dashboard.desc.${tile.key}`)))));
  });
  root.appendChild(list);
}
