import { h, icon, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { applicationsApi, SESSION_ENDED } from './api.js';
import { formatDay } from './format.js';
import { showError, showMessage, clearAlert } from './ui.js';
import { sectionName } from './kelengkapan.js';

/**
 * What a submitted application shows wherever it appears (receipt page, Permohonan Saya,
 * Detail Informasi, Monitoring Izin, the perbaikan screen): its addresses, "Cetak Resi",
 * the perbaikan and rejection notes.
 */

export const receiptHash = (id) => `#/permohonan/${id}/resi`;
export const monitoringHash = (receiptNumber) => `#/monitoring/${encodeURIComponent(receiptNumber)}`;
export const editHash = (id) => `#/permohonan/${id}`;

/**
 * A receipt number as the API reads it (upper case; spaces and dashes anywhere; O read as 0,
 * I and L as 1), written back as 2611-7H3K-9QXM. '' when it cannot be one.
 */
export function normalizeReceipt(input) {
  const compact = String(input || '').toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (!/^\d{4}[0-9A-HJKMNP-TV-Z]{8}$/.test(compact)) return '';
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}

/** The perbaikan's listed items, whether the API names them by id or as {id, name}. */
function listedIds(list) {
  return (list || []).map((item) => (item && typeof item === 'object' ? item.id : item)).filter(Boolean);
}

export function perbaikanSections(app) {
  return listedIds(app.perbaikan && app.perbaikan.sections);
}

export function perbaikanRequirements(app) {
  return listedIds(app.perbaikan && app.perbaikan.requirements);
}

function requirementName(app, id) {
  const fromList = ((app.perbaikan && app.perbaikan.requirements) || []).find((r) => r && r.id === id && r.name);
  if (fromList) return fromList.name;
  const req = (app.persyaratan || []).find((r) => r.id === id);
  return req ? req.name : '';
}

/**
 * The officer's perbaikan request: notes, deadline, and what to fix. `linkFor(kind, id)`
 * turns each item into a link to where it is fixed.
 */
export function perbaikanBox(app, { headingLevel = 2, linkFor = null, extra = null } = {}) {
  const request = app.perbaikan;
  if (!request) return null;
  const headingId = uniqueId('perbaikan');
  const items = [
    ...perbaikanSections(app).map((id) => ({ kind: 'section', id, text: t('perbaikan.section', { name: sectionName(app, id) }) })),
    ...perbaikanRequirements(app).map((id) => ({ kind: 'persyaratan', id, name: requirementName(app, id) }))
      .filter((item) => item.name)
      .map((item) => ({ ...item, text: t('perbaikan.requirement', { name: item.name }) })),
  ];
  return h('section', { class: 'note-box perbaikan-box', 'aria-labelledby': headingId, 'data-testid': 'perbaikan' },
    h(`h${headingLevel}`, { id: headingId, class: 'note-title' }, icon('alert', 20), t('perbaikan.heading')),
    request.deadline ? h('p', { class: 'perbaikan-deadline', 'data-testid': 'batas-perbaikan' },
      t('perbaikan.deadline', { date: formatDay(request.deadline) })) : null,
    request.notes ? [
      h('p', { class: 'notes-label' }, t('perbaikan.notes')),
      h('p', { class: 'officer-notes', 'data-testid': 'catatan-perbaikan' }, request.notes)] : null,
    items.length ? [
      h('p', { class: 'notes-label' }, t('perbaikan.items')),
      h('ul', { class: 'note-list', 'data-testid': 'yang-diperbaiki' }, items.map((item) => h('li', null,
        linkFor ? h('a', { href: linkFor(item.kind, item.id) }, item.text) : item.text)))] : null,
    request.deadline ? h('p', { class: 'hint' }, t('perbaikan.deadlineHint')) : null,
    extra);
}

/** The notes of a rejection, for the applicant to read. */
export function rejectionBox(app, { headingLevel = 2 } = {}) {
  if (app.status !== 'ditolak' || !app.decisionNotes) return null;
  const headingId = uniqueId('penolakan');
  return h('section', { class: 'note-box rejection-box', 'aria-labelledby': headingId, 'data-testid': 'catatan-penolakan' },
    h(`h${headingLevel}`, { id: headingId, class: 'note-title' }, icon('alert', 20), t('monitoring.rejectNotes')),
    h('p', { class: 'officer-notes' }, app.decisionNotes));
}

/** A file held up by a system fault (status gangguan): nothing for the applicant to do. */
export function gangguanNote(app) {
  if (app.status !== 'gangguan') return null;
  return h('p', { class: 'kirim-note', 'data-testid': 'catatan-gangguan' }, icon('info', 18), h('span', null, t('monitoring.gangguan')));
}

function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The download has started by now; the address is kept a while for slow devices.
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/**
 * "Cetak Resi": the receipt PDF fetched with the session's token and saved as a file.
 * The button is busy meanwhile, so a double tap downloads once.
 */
export async function printReceipt(app, button) {
  if (button.getAttribute('aria-busy') === 'true') return;
  button.setAttribute('aria-busy', 'true');
  button.disabled = true;
  clearAlert();
  showMessage(t('resi.downloading'), 'info');
  try {
    const { blob, fileName } = await applicationsApi.receipt(app.applicationId);
    const name = /\.pdf$/i.test(fileName || '') ? fileName : `resi-${app.receiptNumber}.pdf`;
    saveBlob(blob, name);
    showMessage(t('resi.downloaded', { file: name }));
  } catch (err) {
    clearAlert();
    if (err.kind !== SESSION_ENDED) {
      showError(err, { hint: t('resi.failedHint'), retry: () => printReceipt(app, button) });
    }
  } finally {
    button.removeAttribute('aria-busy');
    button.disabled = false;
  }
}

export function printReceiptButton(app, { withName = false } = {}) {
  const button = h('button', { type: 'button', class: 'btn btn-secondary', 'data-action': 'cetak-resi' },
    icon('file', 18), t('btn.cetakResi'),
    withName ? h('span', { class: 'visually-hidden' }, ` ${app.izin.name}`) : null);
  button.addEventListener('click', () => printReceipt(app, button));
  return button;
}

/** An issued permit (status terbit) can be downloaded and checked. */
export const isIssued = (app) => app.status === 'terbit' && Boolean(app.permitNumber);
export const verifyHash = (permitId) => `#/verifikasi/${encodeURIComponent(permitId)}`;

/** The server's name for the permit's file, or one made the same way: izin-503-7-DPMPTSP-KU-XI-2026.pdf. */
const permitFileName = (app) => `izin-${String(app.permitNumber).replace(/\//g, '-')}.pdf`;

/** "Unduh Izin": the permit PDF fetched with the session's token; busy meanwhile, so a double tap downloads once. */
export async function downloadPermit(app, button) {
  if (button.getAttribute('aria-busy') === 'true') return;
  button.setAttribute('aria-busy', 'true');
  button.disabled = true;
  clearAlert();
  showMessage(t('izin.downloading'), 'info');
  try {
    const { blob, fileName } = await applicationsApi.permit(app.applicationId);
    const name = /\.pdf$/i.test(fileName || '') ? fileName : permitFileName(app);
    saveBlob(blob, name);
    showMessage(t('izin.downloaded', { file: name }));
  } catch (err) {
    clearAlert();
    if (err.kind !== SESSION_ENDED) {
      showError(err, { hint: t('izin.failedHint'), retry: () => downloadPermit(app, button) });
    }
  } finally {
    button.removeAttribute('aria-busy');
    button.disabled = false;
  }
}

/** Unduh Izin and the link to the permit's public verification page. */
export function permitActions(app, { withName = false } = {}) {
  if (!isIssued(app)) return null;
  const named = () => (withName ? h('span', { class: 'visually-hidden' }, ` ${app.izin.name}`) : null);
  const button = h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'unduh-izin' },
    icon('download', 18), t('izin.unduh'), named());
  button.addEventListener('click', () => downloadPermit(app, button));
  return [
    button,
    app.permitId ? h('a', { class: 'btn btn-secondary', href: verifyHash(app.permitId), 'data-action': 'cek-keaslian' },
      icon('shield', 18), t('izin.cekKeaslian'), named()) : null,
  ];
}
