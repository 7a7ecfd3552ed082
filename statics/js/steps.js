import { h, icon } from './dom.js';
import { t } from './i18n.js';

export const STEPS = [1, 2, 3, 4];

/**
 * The 4-step indicator of Pengajuan Permohonan. `links` maps a finished step's number
 * to its address; finished steps without one are shown as done but not as links.
 */
export function stepIndicator(current, links = {}) {
  const list = h('ol', { class: 'steps', 'data-testid': 'step-indicator', 'aria-label': t('wizard.steps') });
  STEPS.forEach((n) => {
    const label = t(`step.${n}`);
    const status = n < current ? 'done' : n === current ? 'current' : 'todo';
    const mark = h('span', { class: 'step-mark', 'aria-hidden': 'true' }, status === 'done' ? icon('check', 16) : String(n));
    const text = h('span', { class: 'step-label' },
      h('span', { class: 'visually-hidden' }, `${t('wizard.stepOf', { n })}: `), label,
      status === 'done' ? h('span', { class: 'visually-hidden' }, ` ${t('wizard.stepDone')}`) : null);
    const inner = status === 'done' && links[n]
      ? h('a', { class: 'step-inner', href: links[n] }, mark, text)
      : h('span', { class: 'step-inner' }, mark, text);
    list.appendChild(h('li', {
      class: `step step-${status}`,
      'aria-current': status === 'current' ? 'step' : null,
    }, inner));
  });
  return h('div', { class: 'steps-wrap' },
    list,
    h('p', { class: 'steps-caption', 'aria-hidden': 'true' },
      `${t('wizard.stepOf', { n: current })}: ${t(`step.${current}`)}`));
}
