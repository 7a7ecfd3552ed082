import { h, icon, uniqueId } from './dom.js';
import { t } from './i18n.js';

export const DASHBOARD_TILES = [
  { key: 'pengajuan', href: '#/pengajuan', icon: 'file' },
  { key: 'permohonanSaya', href: '#/permohonan-saya', icon: 'list' },
  { key: 'fileSaya', href: '#/file-saya', icon: 'folder' },
  { key: 'monitoring', href: '#/monitoring', icon: 'search' },
  { key: 'inbox', href: '#/inbox', icon: 'mail' },
  { key: 'survey', href: '#/survey', icon: 'star' },
  { key: 'pengaduan', href: '#/pengaduan', icon: 'chat' },
];

export function renderDashboard(root) {
  root.appendChild(h('h1', { tabindex: '-1' }, t('dashboard.title')));
  root.appendChild(h('p', { class: 'lead' }, t('dashboard.welcome')));
  const list = h('ul', { class: 'tiles', 'aria-label': t('dashboard.menuHeading') });
  DASHBOARD_TILES.forEach((tile) => {
    const descId = uniqueId('tile-desc');
    list.appendChild(h('li', { class: 'tile' },
      h('span', { class: 'tile-icon' }, icon(tile.icon, 28)),
      h('div', { class: 'tile-text' },
        h('h2', { class: 'tile-title' },
          h('a', { href: tile.href, 'data-testid': `tile-${tile.key}`, 'aria-describedby': descId },
            t(`nav.${tile.key}`))),
        h('p', { id: descId, class: 'tile-desc' }, t(`dashboard.desc.${tile.key}`)))));
  });
  root.appendChild(list);
}
