import { h, replaceChildren, uniqueId } from './dom.js';
import { t, getLang } from './i18n.js';
import { get } from './api.js';
import { showError, loading } from './ui.js';

/**
 * Kinerja Pelayanan Publik, at #/kinerja, open to anyone: the office's published service
 * figures of the last 12 WITA months (GET /api/public/kinerja): the IKM and its grade from
 * Survey IKM, applications finished, the share finished within the SLA and the median working
 * days, for the office and per permit type; and a bar chart of the applications finished per
 * month (on time and late), drawn here as inline SVG with a table of the same numbers.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const CHART = { width: 640, height: 220, left: 36, right: 8, top: 12, bottom: 34 };

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  Object.entries(attrs || {}).forEach(([key, value]) => {
    if (value !== null && value !== undefined) el.setAttribute(key, String(value));
  });
  children.flat().forEach((child) => {
    if (child === null || child === undefined) return;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  });
  return el;
}

const locale = () => (getLang() === 'en' ? 'en-GB' : 'id-ID');

function decimal(value, digits) {
  if (value === null || value === undefined) return '–';
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

const whole = (value) => new Intl.NumberFormat(locale()).format(value || 0);
const percent = (value) => (value === null || value === undefined ? '–' : `${decimal(value, 1)}%`);

const MONTH_STYLES = {
  short: { month: 'short', year: '2-digit' }, // Nov 26 (the chart's axis)
  medium: { month: 'short', year: 'numeric' }, // Nov 2026 (the table, narrow on a phone)
  long: { month: 'long', year: 'numeric' }, // November 2026
};

/** "2026-11" in words, in the page's language. */
function monthName(month, style = 'short') {
  const [year, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { ...MONTH_STYLES[style], timeZone: 'UTC' })
    .format(new Date(Date.UTC(year, m - 1, 1)));
}

function ikmText(figures) {
  if (figures.ikm === null || figures.ikm === undefined) return t('kinerja.noIkm');
  return t('kinerja.ikmValue', { ikm: decimal(figures.ikm, 2), grade: figures.grade, label: gradeLabel(figures) });
}

function gradeLabel(figures) {
  return figures.grade ? t(`kinerja.grade.${figures.grade}`) : '';
}

function officeCards(office) {
  const card = (key, value, note) => h('div', { class: 'kinerja-card', 'data-testid': `kinerja-${key}` },
    h('dt', null, t(`kinerja.${key}`)),
    h('dd', null, h('span', { class: 'kinerja-value' }, value), note ? h('span', { class: 'kinerja-note' }, note) : null));
  return h('dl', { class: 'kinerja-cards' },
    card('ikm', office.ikm === null || office.ikm === undefined ? '–' : decimal(office.ikm, 2),
      office.grade ? t('kinerja.gradeNote', { grade: office.grade, label: gradeLabel(office) }) : t('kinerja.noIkm')),
    card('respondents', whole(office.respondents)),
    card('finished', whole(office.finished)),
    card('onTime', percent(office.onTimeShare)),
    card('median', office.medianWorkingDays === null || office.medianWorkingDays === undefined
      ? '–' : t('kinerja.days', { n: decimal(office.medianWorkingDays, 1) })));
}

/** Stacked bars: on time (solid) and late (hatched, so the difference is not colour alone). */
function chart(months) {
  const { width, height, left, right, top, bottom } = CHART;
  const highest = Math.max(1, ...months.map((m) => m.finished));
  const plotHeight = height - top - bottom;
  const step = (width - left - right) / months.length;
  const barWidth = Math.max(4, step * 0.6);
  const y = (value) => top + plotHeight - (value / highest) * plotHeight;
  const titleId = uniqueId('kinerja-chart');
  const total = months.reduce((sum, m) => sum + m.finished, 0);
  const ticks = [0, Math.ceil(highest / 2), highest].filter((v, i, all) => all.indexOf(v) === i);
  return svg('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'kinerja-chart', role: 'img', 'aria-labelledby': titleId,
    'data-testid': 'kinerja-chart', preserveAspectRatio: 'xMidYMid meet',
  },
  svg('title', { id: titleId }, t('kinerja.chartTitle', { total: whole(total) })),
  svg('defs', null,
    svg('pattern', { id: 'kinerja-late', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      svg('rect', { width: 6, height: 6, class: 'kinerja-late-bg' }),
      svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'kinerja-late-line' }))),
  ticks.map((v) => svg('g', null,
    svg('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'kinerja-grid' }),
    svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'kinerja-axis' }, whole(v)))),
  months.map((m, i) => {
    const x = left + i * step + (step - barWidth) / 2;
    const onTimeTop = y(m.finishedOnTime);
    return svg('g', { 'data-month': m.month, 'data-finished': m.finished },
      svg('title', null, t('kinerja.barTitle', {
        month: monthName(m.month, 'long'), onTime: whole(m.finishedOnTime), late: whole(m.finishedLate),
      })),
      m.finishedOnTime ? svg('rect', {
        x, y: onTimeTop, width: barWidth, height: y(0) - onTimeTop, class: 'kinerja-bar-on-time',
      }) : null,
      m.finishedLate ? svg('rect', {
        x, y: y(m.finished), width: barWidth, height: onTimeTop - y(m.finished), fill: 'url(#kinerja-late)', class: 'kinerja-bar-late',
      }) : null,
      svg('text', { x: x + barWidth / 2, y: height - bottom + 16, 'text-anchor': 'middle', class: 'kinerja-axis' },
        monthName(m.month)));
  }));
}

function legend() {
  return h('ul', { class: 'kinerja-legend' },
    h('li', null, h('span', { class: 'kinerja-swatch kinerja-swatch-on-time', 'aria-hidden': 'true' }), t('kinerja.legendOnTime')),
    h('li', null, h('span', { class: 'kinerja-swatch kinerja-swatch-late', 'aria-hidden': 'true' }), t('kinerja.legendLate')));
}

function monthTable(months) {
  return h('details', { class: 'kinerja-details' },
    h('summary', null, t('kinerja.monthTable')),
    h('table', { class: 'kinerja-table', 'data-testid': 'kinerja-bulan' },
      h('thead', null, h('tr', null,
        [t('kinerja.col.month'), t('kinerja.col.finished'), t('kinerja.col.onTimeCount'), t('kinerja.col.late')]
          .map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, months.map((m) => h('tr', null,
        h('th', { scope: 'row' }, h('abbr', { title: monthName(m.month, 'long') }, monthName(m.month, 'medium'))),
        h('td', null, whole(m.finished)), h('td', null, whole(m.finishedOnTime)), h('td', null, whole(m.finishedLate)))))));
}

function izinTable(rows) {
  const columns = [
    t('kinerja.col.izin'), t('kinerja.col.ikm'), t('kinerja.col.respondents'),
    t('kinerja.col.finished'), t('kinerja.col.onTime'), t('kinerja.col.median'),
  ];
  const cell = (label, content) => h('td', { 'data-label': label }, content);
  return h('div', { class: 'history-wrap' },
    h('table', { class: 'kinerja-table kinerja-izin', 'data-testid': 'kinerja-izin' },
      h('caption', { class: 'visually-hidden' }, t('kinerja.izinCaption')),
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, rows.map((row) => h('tr', { 'data-izin': row.izinId },
        h('th', { scope: 'row' }, row.izinName),
        cell(columns[1], ikmText(row)),
        cell(columns[2], whole(row.respondents)),
        cell(columns[3], whole(row.finished)),
        cell(columns[4], percent(row.onTimeShare)),
        cell(columns[5], row.medianWorkingDays === null || row.medianWorkingDays === undefined
          ? '–' : t('kinerja.days', { n: decimal(row.medianWorkingDays, 1) })))))));
}

function render(host, answer) {
  const chartHeading = uniqueId('kinerja-grafik');
  const izinHeading = uniqueId('kinerja-jenis');
  replaceChildren(host,
    h('p', { class: 'lead', 'data-testid': 'kinerja-periode' }, t('kinerja.period', {
      from: monthName(answer.fromMonth, 'long'), to: monthName(answer.toMonth, 'long'),
    })),
    officeCards(answer.office),
    h('section', { 'aria-labelledby': chartHeading },
      h('h2', { id: chartHeading }, t('kinerja.chartHeading')),
      chart(answer.byMonth || []), legend(), monthTable(answer.byMonth || [])),
    h('section', { 'aria-labelledby': izinHeading },
      h('h2', { id: izinHeading }, t('kinerja.izinHeading')),
      izinTable(answer.byIzin || [])),
    h('p', { class: 'hint' }, t('kinerja.method')));
}

export function renderKinerja(root, ctx) {
  const body = h('div', { class: 'kinerja', 'aria-live': 'polite' }, loading(t('kinerja.loading')));
  root.append(h('h1', { tabindex: '-1' }, t('kinerja.title')), body);
  get('/api/public/kinerja').then((answer) => {
    if (!ctx.isCurrent()) return;
    render(body, answer);
  }).catch((err) => {
    if (!ctx.isCurrent()) return;
    replaceChildren(body, h('p', { class: 'inline-error' }, t('err.inline')));
    showError(err, { retry: ctx.retry });
  });
}
