import { h, icon, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { KABUPATEN_KOTA, KALTARA, LEGAL_FORMS, UPLOAD } from './meta.js';
import {
  formatDate, formatDateTime, formatDay, formatFileTypes, formatMoney, formatSize, unitText,
} from './format.js';

/**
 * What Isi Kelengkapan collects, shared by its forms, the final review (Gambar 15)
 * and Detail Informasi: the sections' fields, how values are read back, the status.
 */

export const DATA_SECTIONS = ['pemohon', 'perusahaan', 'lokasi', 'detail'];
// The API's lists (GET /api/meta).
export { KALTARA, LEGAL_FORMS };

/** Fixed sections: [field name, label key] in the order of the forms. */
export const FIXED_FIELDS = {
  pemohon: [
    ['nik', 'f.nik'], ['name', 'f.name'], ['email', 'f.email'], ['phone', 'f.phone'],
    ['occupation', 'pemohon.occupation'], ['position', 'pemohon.position'], ['npwp', 'f.npwp'],
    ['address', 'f.address'], ['kabupatenKota', 'f.kabupatenKota'],
  ],
  perusahaan: [
    ['companyName', 'perusahaan.name'], ['legalForm', 'perusahaan.legalForm'], ['npwp', 'perusahaan.npwp'],
    ['nib', 'f.nib'], ['address', 'perusahaan.address'], ['kabupatenKota', 'f.kabupatenKota'],
    ['phone', 'perusahaan.phone'], ['email', 'perusahaan.email'],
  ],
  lokasi: [
    ['kabupatenKota', 'f.kabupatenKota'], ['kecamatan', 'lokasi.kecamatan'], ['desaKelurahan', 'lokasi.desa'],
    ['address', 'lokasi.address'], ['latitude', 'lokasi.latitude'], ['longitude', 'lokasi.longitude'],
  ],
};

export function kabupatenName(code) {
  const found = KABUPATEN_KOTA.find((k) => k.value === code);
  if (!found) return String(code || '');
  return found.labelKey ? t(found.labelKey) : found.label;
}

/** A number as an Indonesian writes it: decimal comma, no thousands dots (editable). */
export function numberText(value) {
  if (value === null || value === undefined || value === '') return '';
  return String(value).replace('.', ',');
}

const shownNumber = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 6 });

/** A value of a section as read in a summary. */
export function displayValue(section, name, value, field) {
  if (value === null || value === undefined || value === '') return '';
  if (name === 'kabupatenKota' && section !== 'detail') return kabupatenName(value);
  if (section === 'lokasi' && (name === 'latitude' || name === 'longitude')) return numberText(value);
  if (!field) return String(value);
  if (field.type === 'boolean') return value ? t('bool.ya') : t('bool.tidak');
  if (field.type === 'date') return formatDate(`${value}T00:00:00+08:00`);
  if (field.type === 'integer' || field.type === 'number') {
    const text = shownNumber.format(Number(value));
    return field.unit ? `${text} ${unitText(field.unit)}` : text;
  }
  return String(value);
}

/** A section's name in the reader's language (the API names it in Indonesian). */
export function sectionName(app, id) {
  return t(`bagian.${id}`);
}

/** label/value rows of one section's saved data. */
export function sectionRows(app, id) {
  const data = (app.data || {})[id] || {};
  if (id === 'detail') {
    return (app.detailFields || []).map((f) => [f.label, displayValue('detail', f.id, data[f.id], f)]);
  }
  return (FIXED_FIELDS[id] || []).map(([name, key]) => [t(key), displayValue(id, name, data[name])]);
}

function definitionList(rows) {
  return h('dl', { class: 'data-list' }, rows.map(([label, value]) => h('div', { class: 'data-row' },
    h('dt', null, label),
    h('dd', null, value || h('span', { class: 'muted' }, '–')))));
}

/**
 * Every data section with its values, then the attachments. `editLink(sectionId)`
 * gives an "Ubah" address for a section, or nothing where it cannot change (none on read-only views).
 */
export function applicationSummary(app, { editLink = null, headingLevel = 3 } = {}) {
  const heading = `h${headingLevel}`;
  const sections = (app.sections || []).filter((s) => DATA_SECTIONS.includes(s.id));
  const parts = sections.map((section) => {
    const id = uniqueId(`ringkas-${section.id}`);
    const filled = Boolean((app.data || {})[section.id]);
    const href = editLink && editLink(section.id);
    return h('section', { class: 'summary-block', 'aria-labelledby': id, 'data-testid': `ringkasan-${section.id}` },
      h('div', { class: 'summary-block-head' },
        h(heading, { id }, section.name, section.required ? null : h('span', { class: 'label-optional' }, ` ${t('form.optional')}`)),
        href ? h('a', { class: 'btn btn-secondary btn-small', href },
          t('btn.ubah'), h('span', { class: 'visually-hidden' }, ` ${section.name}`)) : null),
      filled ? definitionList(sectionRows(app, section.id)) : h('p', { class: 'muted' }, t('ringkasan.empty')));
  });
  const attachId = uniqueId('ringkas-lampiran');
  const byReq = new Map((app.attachments || []).map((a) => [a.requirementId, a]));
  const attachHref = editLink && editLink('detail');
  parts.push(h('section', { class: 'summary-block', 'aria-labelledby': attachId, 'data-testid': 'ringkasan-lampiran' },
    h('div', { class: 'summary-block-head' },
      h(heading, { id: attachId }, t('lampiran.heading')),
      attachHref ? h('a', { class: 'btn btn-secondary btn-small', href: attachHref },
        t('btn.ubah'), h('span', { class: 'visually-hidden' }, ` ${t('lampiran.heading')}`)) : null),
    h('ul', { class: 'attach-summary' }, (app.persyaratan || []).map((req) => {
      const a = byReq.get(req.id);
      return h('li', { class: a ? 'is-attached' : 'is-missing' },
        h('span', { class: 'attach-icon' }, icon(a ? 'check' : (req.mandatory ? 'alert' : 'info'), 18)),
        h('span', { class: 'attach-text' },
          h('span', { class: 'attach-req' }, req.name,
            h('span', { class: `badge ${req.mandatory ? 'badge-wajib' : 'badge-opsional'}` },
              t(req.mandatory ? 'persyaratan.wajib' : 'persyaratan.opsional'))),
          h('span', { class: 'attach-file' }, a ? a.fileName : t('lampiran.none'))));
    }))));
  return h('div', { class: 'application-summary' }, parts);
}

/** The words of the API (status, stage, history action) in the chosen language; the API's label otherwise. */
function labelOf(prefix, value, fallback) {
  if (!value) return fallback || '';
  const key = `${prefix}.${value}`;
  const text = t(key);
  return text === key ? (fallback || value) : text;
}

export const statusText = (x) => labelOf('status', x.status, x.statusLabel);
export const stageText = (x) => (x.stage ? labelOf('stage', x.stage, x.stageLabel) : '');
export const actionText = (x) => labelOf('action', x.action, x.actionLabel);
export const roleText = (role) => labelOf('role', role, role);

/** The estimated finish means something only while the application is still being worked on. */
export const showsEstimate = (x) => Boolean(x.estimatedFinish) && !['draft', 'disetujui', 'ditolak', 'terbit'].includes(x.status);

const STATUS_ICONS = { diproses: 'clock', perbaikan: 'alert', disetujui: 'check', terbit: 'check', ditolak: 'alert', gangguan: 'clock' };

/**
 * A draft is Lengkap (check icon) or Sedang dalam proses (clock icon), as Permohonan Saya
 * marks them; a submitted application shows its status (Sedang diproses, Perlu perbaikan, ...).
 */
export function statusBadge(summary) {
  if (summary.status && summary.status !== 'draft') {
    return h('span', { class: `status status-${summary.status}`, 'data-testid': 'status', 'data-status': summary.status },
      icon(STATUS_ICONS[summary.status] || 'info', 18),
      h('span', null, statusText(summary)));
  }
  // A draft is ready to send once every section and attachment is there (the declaration comes at Kirim).
  const progress = summary.progress || {};
  const complete = Boolean(summary.complete) || (progress.total > 0 && progress.done >= progress.total);
  return h('span', {
    class: `status ${complete ? 'status-lengkap' : 'status-proses'}`, 'data-testid': 'status', 'data-status': complete ? 'siap' : 'draft',
  },
    icon(complete ? 'check' : 'clock', 18),
    h('span', null, complete ? t('status.lengkap') : t('status.proses')));
}

/** Izin, layanan and jenis permohonan of an application (and more facts on request). */
export function choiceFacts(app, { full = false } = {}) {
  const rows = [
    [t('choice.izin'), app.izin && app.izin.name],
    [t('choice.layanan'), app.layanan && app.layanan.name],
    [t('choice.permohonan'), app.jenisPermohonan && app.jenisPermohonan.name],
  ];
  if (full) {
    const fee = Number(app.fee);
    rows.push(
      [t('detail.status'), statusBadge(app)],
      [t('detail.receipt'), app.receiptNumber || t('detail.noReceipt')],
      [t('izin.number'), app.permitNumber ? h('span', { class: 'mono', 'data-testid': 'nomor-izin' }, app.permitNumber) : ''],
      [t('resi.stage'), stageText(app)],
      [t('resi.submittedAt'), app.submittedAt ? formatDateTime(app.submittedAt) : ''],
      [t('resi.estimatedLabel'), showsEstimate(app) ? formatDay(app.estimatedFinish) : ''],
      [t('detail.created'), formatDateTime(app.createdAt)],
      [t('detail.updated'), formatDateTime(app.updatedAt)],
    );
    if (app.slaWorkingDays) rows.push([t('sla.label'), t('sla.value', { n: app.slaWorkingDays })]);
    if (app.fee !== undefined && app.fee !== null) rows.push([t('fee.label'), fee === 0 ? t('fee.free') : formatMoney(fee)]);
    if (app.company) rows.push([t('company.label'), t(`company.${app.company}`)]);
    if (app.fieldSurvey !== undefined) rows.push([t('survey.label'), t(app.fieldSurvey ? 'survey.yes' : 'survey.no')]);
  }
  return definitionList(rows.filter((r) => r[1]));
}

/** Accepted types of a requirement and the API's size limit: "PDF, JPEG · maksimal 10 MB". */
export function typesText(req) {
  return t('lampiran.types', { types: formatFileTypes(req.fileTypes || []), max: formatSize(UPLOAD.maxBytes) });
}
