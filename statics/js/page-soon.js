import { h, icon } from './dom.js';
import { t } from './i18n.js';

/** Placeholder for pages that are not built yet. */
export function soonPage(titleKey) {
  return function renderSoon(root) {
    root.appendChild(h('h1', { tabindex: '-1' }, t(titleKey)));
    root.appendChild(h('section', { class: 'panel panel-soon', 'data-testid': 'segera-hadir', 'aria-labelledby': 'soon-title' },
      h('span', { class: 'panel-icon' }, icon('clock', 32)),
      h('div', null,
        h('h2', { id: 'soon-title' }, t('soon.title')),
        h('p', null, t('soon.body')),
        h('p', null, t('soon.hint')),
        h('p', { class: 'panel-actions' },
          h('a', { class: 'btn btn-primary', href: '#/' }, t('soon.toDashboard')),
          h('a', { class: 'btn btn-secondary', href: '#/pengajuan' }, t('nav.pengajuan'))))));
  };
}

export function renderNotFound(root) {
  root.appendChild(h('h1', { tabindex: '-1' }, t('notFound.title')));
  root.appendChild(h('section', { class: 'panel' },
    h('p', null, t('notFound.body')),
    h('p', { class: 'panel-actions' }, h('a', { class: 'btn btn-primary', href: '#/' }, t('soon.toDashboard')))));
}
