import { h, replaceChildren, icon, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { catalogue, applicationsApi, SESSION_ENDED } from './api.js';
import { buildHash, go, replace } from './router.js';
import { showError, clearAlert, loading, confirmDialog } from './ui.js';
import { formatMoney, formatFileTypes, formatDateTime } from './format.js';
import { currentUser, isSignedIn, loginHash } from './auth.js';
import { STEPS, stepIndicator } from './steps.js';

const PATH = '/pengajuan';

export function wizardHash({ izin, layanan, permohonan, langkah, cari } = {}) {
  return buildHash(PATH, { izin, layanan, permohonan, langkah, cari });
}

/**
 * The wizard's state lives in the address only: izin, layanan, permohonan, langkah
 * (and the step-1 filter `cari`). A step is never shown before its choices exist.
 */
export function readWizardState(params) {
  const izin = params.get('izin') || '';
  const layanan = izin ? params.get('layanan') || '' : '';
  const permohonan = layanan ? params.get('permohonan') || '' : '';
  let max = 1;
  if (izin) max = 2;
  if (layanan) max = 3;
  if (permohonan) max = 4;
  const requested = Number.parseInt(params.get('langkah'), 10);
  const fallback = Math.min(max, 3);
  const wanted = STEPS.includes(requested) ? requested : fallback;
  const step = Math.min(wanted, max);
  return {
    izin, layanan, permohonan, step, cari: params.get('cari') || '',
    clamped: params.has('langkah') && step !== requested,
  };
}

const asList = (v) => (Array.isArray(v) ? v : []);

function jenisLabel(jenis) {
  const key = `jenis.${jenis}`;
  const label = t(key);
  return label === key ? String(jenis || '') : label;
}

function feeText(fee) {
  const n = Number(fee);
  if (fee === null || fee === undefined || !Number.isFinite(n)) return '–';
  return n === 0 ? t('fee.free') : formatMoney(n);
}

function slaText(days) {
  return Number.isFinite(Number(days)) && days !== null ? t('sla.value', { n: Number(days) }) : '–';
}

function normalize(text) {
  return String(text || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/* ---------- shared pieces ---------- */

function wizardIndicator(state) {
  return stepIndicator(state.step, {
    1: wizardHash({ langkah: 1 }),
    2: wizardHash({ izin: state.izin, langkah: 2 }),
    3: wizardHash({ izin: state.izin, layanan: state.layanan, permohonan: state.permohonan, langkah: 3 }),
  });
}

function stepHeader(panel, headingKey, helpKey) {
  panel.appendChild(h('h2', { id: 'step-heading', tabindex: '-1', 'data-focus': '' }, t(headingKey)));
  if (helpKey) panel.appendChild(h('p', { class: 'step-help' }, t(helpKey)));
}

function button(label, variant, onclick, extra = {}) {
  return h('button', { type: 'button', class: `btn btn-${variant}`, onclick, ...extra }, label);
}

function actionBar(...buttons) {
  return h('div', { class: 'wizard-actions' }, buttons);
}

function cancelButton() {
  return button(t('btn.batal'), 'secondary', async () => {
    const ok = await confirmDialog({
      title: t('cancel.title'),
      body: t('cancel.body'),
      confirmText: t('cancel.confirm'),
      cancelText: t('cancel.stay'),
    });
    if (ok) go('#/');
  }, { 'data-action': 'batal' });
}

function inlineFailure() {
  return h('p', { class: 'inline-error' }, t('err.inline'));
}

function fact(iconName, labelKey, value) {
  return h('li', { class: 'fact' },
    iconName ? h('span', { class: 'fact-icon' }, icon(iconName, 20)) : null,
    h('span', { class: 'fact-text' },
      h('span', { class: 'fact-label' }, `${t(labelKey)}:`), ' ',
      h('span', { class: 'fact-value' }, value)));
}

function summaryBox(rows, extra) {
  const id = uniqueId('summary');
  return h('section', { class: 'summary', 'aria-labelledby': id },
    h('h3', { id, class: 'summary-title' }, t('choice.heading')),
    h('ul', { class: 'facts facts-compact' }, rows.filter((r) => r[1]).map(([k, v]) => fact(null, k, v))),
    extra || null);
}

/* ---------- step 1: jenis izin ---------- */

function izinCard(item, aka) {
  const titleId = uniqueId('izin-title');
  const metaId = uniqueId('izin-meta');
  const descId = uniqueId('izin-desc');
  return h('a', {
    class: 'card',
    href: wizardHash({ izin: item.id, langkah: 2 }),
    'data-testid': `izin-${item.id}`,
    // Named by its whole visible text (sector, name, description), as a speech user reads it (WCAG 2.5.3).
  },
  item.sector ? h('span', { class: 'card-kicker', id: metaId }, item.sector) : null,
  h('span', { class: 'card-title', id: titleId, lang: 'id' }, item.name),
  item.description ? h('span', { class: 'card-desc', id: descId, lang: 'id' }, item.description) : null,
  aka);
}

/** No permit matches: what the province licenses, and where the other permits come from. */
function noMatchHelp(query, onShowAll) {
  return h('div', { class: 'no-match', 'data-testid': 'tidak-ada-izin' },
    h('p', { class: 'no-match-title' }, t('search.empty', { q: query })),
    h('h3', null, t('search.elsewhereTitle')),
    h('ul', { class: 'plain-list' },
      h('li', null, t('search.elsewhereProvince')),
      h('li', null, t('search.elsewhereOss')),
      h('li', null, t('search.elsewhereKab'))),
    h('p', null, t('search.elsewhereSpelling')),
    h('p', null, h('button', { type: 'button', class: 'btn btn-secondary', onclick: onShowAll }, t('search.showAll'))));
}

async function step1(panel, ctx, state) {
  stepHeader(panel, 'step1.heading', 'step1.help');
  const body = h('div', { class: 'step-body' }, loading(t('loading.izin')));
  panel.appendChild(body);

  let data;
  try {
    data = await catalogue.listIzin();
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replaceChildren(body, inlineFailure());
    showError(err, { retry: ctx.retry });
    return;
  }
  if (!ctx.isCurrent()) return;

  const items = asList(data && data.items);
  if (!items.length) {
    replaceChildren(body, h('p', { class: 'empty' }, t('step1.none')));
    return;
  }

  const hintId = 'cari-izin-hint';
  const input = h('input', {
    id: 'cari-izin', type: 'search', class: 'input', autocomplete: 'off', spellcheck: 'false',
    'aria-describedby': hintId, 'data-testid': 'cari-izin',
  });
  input.value = state.cari;
  const count = h('p', { class: 'search-count', role: 'status' });
  const empty = h('div', { class: 'empty', hidden: true });
  // The catalogue's synonyms are searched too ("sumur bor" finds SIPA) and named on the card.
  const entries = items.map((item) => {
    const aka = h('span', { class: 'card-aka', hidden: true });
    return {
      li: h('li', null, izinCard(item, aka)),
      aka,
      text: normalize(`${item.name} ${item.description || ''} ${item.sector || ''}`),
      synonyms: asList(item.synonyms).map((word) => ({ word, text: normalize(word) })),
    };
  });
  const cards = h('ul', { class: 'cards' }, entries.map((e) => e.li));

  const apply = () => {
    const query = input.value.trim();
    const tokens = normalize(query).split(/\s+/).filter(Boolean);
    let shown = 0;
    const phrase = tokens.join(' ');
    entries.forEach((e) => {
      const words = e.synonyms.filter((s) => phrase && (s.text.includes(phrase) || tokens.every((tok) => s.text.includes(tok))));
      const match = tokens.every((tok) => e.text.includes(tok)) || words.length > 0;
      e.li.hidden = !match;
      e.aka.hidden = !words.length;
      e.aka.textContent = words.length ? t('search.alsoKnownAs', { words: words.map((s) => s.word).join(', ') }) : '';
      if (match) shown += 1;
    });
    count.textContent = t('search.count', { shown, total: items.length });
    empty.hidden = shown > 0;
    replaceChildren(empty, shown ? null : noMatchHelp(query, () => {
      input.value = '';
      apply();
      replace(wizardHash({}));
      input.focus();
    }));
  };
  input.addEventListener('input', () => {
    apply();
    replace(wizardHash({ cari: input.value.trim() }));
  });
  apply();

  replaceChildren(body,
    h('div', { class: 'field search-field' },
      h('label', { for: 'cari-izin', class: 'label' }, t('search.label')),
      h('p', { id: hintId, class: 'hint' }, t('search.hint')),
      input),
    count, empty, cards);
}

/* ---------- step 2: jenis layanan ---------- */

function izinSummary(izin) {
  return summaryBox([
    ['choice.izin', izin.name],
    ['izin.sector', izin.sector],
    ['izin.legalBasis', izin.legalBasis],
  ], izin.description ? h('p', { class: 'summary-desc' }, izin.description) : null);
}

function layananCard(izinId, layanan) {
  const titleId = uniqueId('layanan-title');
  const descId = uniqueId('layanan-desc');
  const jps = asList(layanan.jenisPermohonan);
  const kinds = [...new Set(jps.map((jp) => jenisLabel(jp.jenis)).filter(Boolean))].join(', ');
  return h('a', {
    class: 'card',
    href: wizardHash({ izin: izinId, layanan: layanan.id, langkah: 3 }),
    'data-testid': `layanan-${layanan.id}`,
  },
  h('span', { class: 'card-title', id: titleId, lang: 'id' }, layanan.name),
  h('span', { class: 'card-desc', id: descId },
    layanan.description ? h('span', { class: 'card-desc-text', lang: 'id' }, layanan.description) : null,
    jps.length ? h('span', { class: 'card-meta' }, `${t('step2.options', { n: jps.length })}${kinds ? `: ${kinds}` : ''}`) : null));
}

/**
 * The chosen permit (steps 2 and 3 both need it), or null when it failed to load: the
 * failure is shown in ``body`` and the alert, with a way back to step 1.
 */
async function loadIzin(ctx, state, body) {
  try {
    const izin = await catalogue.getIzin(state.izin);
    return ctx.isCurrent() ? izin : null;
  } catch (err) {
    if (!ctx.isCurrent()) return null;
    replaceChildren(body, inlineFailure());
    showError(err, { retry: ctx.retry, links: [{ href: wizardHash({ langkah: 1 }), text: t('err.chooseAgain') }] });
    return null;
  }
}

async function step2(panel, ctx, state) {
  stepHeader(panel, 'step2.heading', 'step2.help');
  const summaryHost = h('div', { class: 'summary-host' });
  const body = h('div', { class: 'step-body' }, loading(t('loading.layanan')));
  panel.append(summaryHost, body,
    actionBar(button(t('btn.kembali'), 'secondary', () => go(wizardHash({ langkah: 1 })), { 'data-action': 'kembali' })));

  const izin = await loadIzin(ctx, state, body);
  if (!izin) return;

  replaceChildren(summaryHost, izinSummary(izin));
  const layanan = asList(izin.layanan);
  if (!layanan.length) {
    replaceChildren(body, h('p', { class: 'empty' }, t('step2.none')));
    return;
  }
  replaceChildren(body, h('ul', { class: 'cards' },
    layanan.map((l) => h('li', { class: l.id === state.layanan ? 'is-previous' : null }, layananCard(izin.id, l)))));
}

/* ---------- step 3: jenis permohonan & persyaratan ---------- */

function requirementsView(data) {
  const companyKey = { required: 'company.required', optional: 'company.optional', none: 'company.none' }[data.company];
  const infoId = uniqueId('info');
  const reqId = uniqueId('req');
  const reqs = asList(data.persyaratan);

  const list = reqs.length
    ? h('ol', { class: 'req-list', 'data-testid': 'persyaratan' }, reqs.map((r) => h('li', { class: 'req' },
      h('div', { class: 'req-head' },
        h('span', { class: 'req-name', lang: 'id' }, r.name),
        h('span', { class: `badge ${r.mandatory ? 'badge-wajib' : 'badge-opsional'}` },
          // NIB, akta: asked only of someone applying for a badan usaha (step 4 asks which).
          t(r.mandatory && r.appliesTo === 'badan_usaha' ? 'persyaratan.forBusiness' : `persyaratan.${r.mandatory ? 'wajib' : 'opsional'}`))),
      r.description ? h('p', { class: 'req-desc', lang: 'id' }, r.description) : null,
      asList(r.fileTypes).length
        ? h('p', { class: 'req-types' }, t('persyaratan.fileTypes', { types: formatFileTypes(r.fileTypes) }))
        : null)))
    : h('p', { class: 'empty', 'data-testid': 'persyaratan' }, t('persyaratan.none'));

  return h('div', { class: 'detail' },
    h('section', { class: 'detail-section', 'aria-labelledby': infoId },
      h('h3', { id: infoId }, t('info.heading')),
      h('ul', { class: 'facts' },
        fact('clock', 'sla.label', slaText(data.slaWorkingDays)),
        fact('money', 'fee.label', feeText(data.fee)),
        fact('building', 'company.label', companyKey ? t(companyKey) : '–'),
        fact('map', 'survey.label', t(data.fieldSurvey ? 'survey.yes' : 'survey.no')))),
    h('section', { class: 'detail-section', 'aria-labelledby': reqId },
      h('h3', { id: reqId }, t('persyaratan.heading')),
      reqs.length ? h('p', { class: 'step-help' }, t('persyaratan.help')) : null,
      reqs.length ? h('p', { class: 'step-help', 'data-testid': 'foto-diterima' }, t('persyaratan.photosOk')) : null,
      list));
}

function permohonanChoice(jp, pressed, onChoose) {
  const kind = jenisLabel(jp.jenis);
  const meta = [
    kind && !normalize(jp.name).includes(normalize(kind)) ? kind : '',
    slaText(jp.slaWorkingDays),
    feeText(jp.fee),
  ].filter((x) => x && x !== '–').join(' · ');
  return h('button', {
    type: 'button',
    class: 'choice',
    'data-testid': `permohonan-${jp.id}`,
    'data-id': jp.id,
    'aria-pressed': pressed ? 'true' : 'false',
    onclick: () => onChoose(jp.id),
  },
  h('span', { class: 'choice-mark', 'aria-hidden': 'true' }, icon('check', 18)),
  h('span', { class: 'choice-text' },
    h('span', { class: 'choice-title', lang: 'id' }, jp.name),
    meta ? h('span', { class: 'choice-meta' }, meta) : null));
}

async function step3(panel, ctx, state) {
  stepHeader(panel, 'step3.heading', 'step3.help');
  const summaryHost = h('div', { class: 'summary-host' });
  const body = h('div', { class: 'step-body' }, loading(t('loading.layanan')));
  const detail = h('div', { class: 'detail-host' });
  const note = h('p', { class: 'step-note', role: 'status' });
  let ready = false;
  let token = 0;
  let loadingId = null;
  let choices = [];

  const toStep2 = () => go(wizardHash({ izin: state.izin, langkah: 2 }));
  const onNext = () => {
    if (!state.permohonan) {
      note.textContent = t('step3.selectFirst');
      if (choices[0]) choices[0].focus();
      return;
    }
    if (!ready) {
      note.textContent = t('step3.notReady');
      return;
    }
    if (isSignedIn()) {
      startOrContinue(state.permohonan, next, draftHost);
      return;
    }
    go(wizardHash({ izin: state.izin, layanan: state.layanan, permohonan: state.permohonan, langkah: 4 }));
  };
  const next = button(t('btn.lanjut'), 'primary', onNext, { 'data-action': 'lanjut' });
  const draftHost = h('div', { class: 'draft-host' });
  panel.append(summaryHost, body, detail, note, draftHost, actionBar(
    button(t('btn.kembali'), 'secondary', toStep2, { 'data-action': 'kembali' }),
    cancelButton(),
    next));

  const loadDetail = async (id) => {
    token += 1;
    const mine = token;
    ready = false;
    loadingId = id;
    clearAlert();
    replaceChildren(detail, loading(t('loading.persyaratan')));
    let data;
    try {
      data = await catalogue.getPersyaratan(id);
    } catch (err) {
      if (!ctx.isCurrent() || mine !== token) return;
      loadingId = null;
      replaceChildren(detail, inlineFailure());
      showError(err, { retry: () => loadDetail(id) });
      return;
    }
    if (!ctx.isCurrent() || mine !== token) return;
    loadingId = null;
    replaceChildren(detail, requirementsView(data));
    ready = true;
  };

  const izin = await loadIzin(ctx, state, body);
  if (!izin) return;

  const layanan = asList(izin.layanan).find((l) => l.id === state.layanan);
  if (!layanan) {
    replaceChildren(summaryHost, izinSummary(izin));
    replaceChildren(body, inlineFailure());
    showError({ message: t('step3.layananMissing'), status: 404 }, {
      links: [{ href: wizardHash({ izin: state.izin, langkah: 2 }), text: t('step.2') }],
    });
    return;
  }
  replaceChildren(summaryHost, summaryBox([
    ['choice.izin', izin.name],
    ['choice.layanan', layanan.name],
  ]));

  const jps = asList(layanan.jenisPermohonan);
  if (!jps.length) {
    replaceChildren(body, h('p', { class: 'empty' }, t('step3.none')));
    return;
  }
  if (state.permohonan && !jps.some((jp) => jp.id === state.permohonan)) {
    state.permohonan = '';
    replace(wizardHash({ izin: state.izin, layanan: state.layanan, langkah: 3 }));
  }

  const choose = (id) => {
    note.textContent = '';
    if (id === state.permohonan && (ready || loadingId === id)) return;
    state.permohonan = id;
    choices.forEach((c) => c.setAttribute('aria-pressed', c.dataset.id === id ? 'true' : 'false'));
    replace(wizardHash({ izin: state.izin, layanan: state.layanan, permohonan: id, langkah: 3 }));
    loadDetail(id);
  };
  choices = jps.map((jp) => permohonanChoice(jp, jp.id === state.permohonan, choose));
  const labelId = uniqueId('jp-label');
  replaceChildren(body,
    h('h3', { id: labelId }, t('step3.choiceLabel')),
    h('div', { class: 'choices', role: 'group', 'aria-labelledby': labelId }, choices));

  if (state.permohonan) loadDetail(state.permohonan);
}

/* ---------- step 4: isi kelengkapan (needs an account) ---------- */

let starting = false;

/**
 * Start the draft of this jenis permohonan and open its Isi Kelengkapan. The button is
 * busy meanwhile, so a second tap does not start a second draft.
 */
async function startApplication(jenisPermohonanId, btn) {
  if (starting) return;
  starting = true;
  clearAlert();
  const label = btn.textContent;
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  btn.replaceChildren(h('span', { class: 'spinner spinner-small', 'aria-hidden': 'true' }), t('step4.starting'));
  let app;
  try {
    app = await applicationsApi.create(jenisPermohonanId);
  } catch (err) {
    starting = false;
    if (btn.isConnected) {
      btn.disabled = false;
      btn.removeAttribute('aria-busy');
      btn.textContent = label;
    }
    if (err.kind !== SESSION_ENDED) showError(err, { retry: () => startApplication(jenisPermohonanId, btn), hint: t('step4.startHint') });
    return;
  }
  starting = false;
  // Someone who has moved on meanwhile finds the draft in Permohonan Saya.
  if (btn.isConnected) go(buildHash(`/permohonan/${app.applicationId}`, { bagian: 'pemohon' }));
}

/**
 * Lanjut when a draft of the same jenis permohonan waits unsent (Back to step 3, then Lanjut
 * again): offer to continue it rather than silently starting a second, empty one.
 */
async function startOrContinue(jenisPermohonanId, btn, host) {
  if (starting || btn.getAttribute('aria-busy') === 'true') return;
  btn.setAttribute('aria-busy', 'true');
  let existing = null;
  try {
    const page = await applicationsApi.list({ status: 'draft', jenisPermohonanId, limit: 1 });
    [existing] = asList(page && page.items);
  } catch (err) {
    if (err.kind === SESSION_ENDED) return;
    existing = null; // the list is a courtesy: without it, Lanjut still starts the draft
  } finally {
    btn.removeAttribute('aria-busy');
  }
  if (!btn.isConnected) return;
  if (!existing) {
    startApplication(jenisPermohonanId, btn);
    return;
  }
  const titleId = uniqueId('draft-exists');
  const progress = existing.progress || { done: 0, total: 0 };
  const startNew = button(t('draft.startNew'), 'secondary', () => startApplication(jenisPermohonanId, startNew),
    { 'data-action': 'buat-baru' });
  replaceChildren(host, h('section', {
    class: 'panel panel-draft', 'aria-labelledby': titleId, 'data-testid': 'draf-ada', tabindex: '-1',
  },
  h('span', { class: 'panel-icon' }, icon('file', 32)),
  h('div', null,
    h('h3', { id: titleId }, t('draft.existsTitle')),
    h('p', null, t('draft.existsBody', {
      name: existing.izin.name,
      id: existing.applicationId,
      when: formatDateTime(existing.updatedAt),
      done: progress.done,
      total: progress.total,
    })),
    h('p', { class: 'panel-actions' },
      h('a', {
        class: 'btn btn-primary', href: `#/permohonan/${existing.applicationId}`, 'data-action': 'lanjutkan-draf',
      }, t('draft.continue')),
      startNew))));
  const shown = host.firstElementChild;
  shown.scrollIntoView({ block: 'nearest' });
  shown.focus({ preventScroll: true });
}

function step4Notice(state) {
  const titleId = uniqueId('step4-notice');
  const user = currentUser();
  const here = wizardHash({ izin: state.izin, layanan: state.layanan, permohonan: state.permohonan, langkah: 4 }).slice(1);
  if (user) {
    const draftHost = h('div', { class: 'draft-host' });
    const start = button(t('btn.lanjut'), 'primary', () => startOrContinue(state.permohonan, start, draftHost),
      { 'data-action': 'mulai' });
    return h('section', { class: 'panel panel-login', 'aria-labelledby': titleId, 'data-testid': 'kelengkapan-segera' },
      h('span', { class: 'panel-icon' }, icon('file', 32)),
      h('div', null,
        h('h3', { id: titleId }, t('step4.startTitle')),
        h('p', null, t('step4.startBody', { name: user.name || user.username })),
        h('p', { class: 'panel-actions' },
          start,
          h('a', { class: 'btn btn-secondary', href: '#/permohonan-saya' }, t('nav.permohonanSaya'))),
        draftHost));
  }
  return h('section', { class: 'panel panel-login', 'aria-labelledby': titleId, 'data-testid': 'perlu-masuk' },
    h('span', { class: 'panel-icon' }, icon('lock', 32)),
    h('div', null,
      h('h3', { id: titleId }, t('step4.loginTitle')),
      h('p', null, t('step4.loginBody')),
      h('p', { class: 'panel-actions' },
        h('a', { class: 'btn btn-primary', href: loginHash(here) }, t('nav.masuk')),
        h('a', { class: 'btn btn-secondary', href: buildHash('/daftar', { next: here }) }, t('nav.daftar')))));
}

async function step4(panel, ctx, state) {
  stepHeader(panel, 'step4.heading', null);
  const perusahaan = h('li', null, t('step4.perusahaan'));
  panel.appendChild(step4Notice(state));
  panel.appendChild(h('div', { class: 'step4-intro' },
    h('p', null, t('step4.intro')),
    h('ol', { class: 'plain-list' },
      h('li', null, t('step4.pemohon')),
      perusahaan,
      h('li', null, t('step4.lokasi')),
      h('li', null, t('step4.detail')))));
  const summaryHost = h('div', { class: 'summary-host' }, loading(t('loading.generic')));
  panel.append(summaryHost, actionBar(
    button(t('btn.kembali'), 'secondary', () => go(wizardHash({
      izin: state.izin, layanan: state.layanan, permohonan: state.permohonan, langkah: 3,
    })), { 'data-action': 'kembali' }),
    cancelButton()));

  let data;
  try {
    data = await catalogue.getPersyaratan(state.permohonan);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replaceChildren(summaryHost, inlineFailure());
    showError(err, { retry: ctx.retry });
    return;
  }
  if (!ctx.isCurrent()) return;
  if (data.company === 'required') perusahaan.textContent = t('step4.perusahaanWajib');
  if (data.company === 'none') perusahaan.remove();
  replaceChildren(summaryHost, summaryBox([
    ['choice.izin', data.izin && data.izin.name],
    ['choice.layanan', data.layanan && data.layanan.name],
    ['choice.permohonan', data.jenisPermohonan && data.jenisPermohonan.name],
    ['sla.label', slaText(data.slaWorkingDays)],
    ['fee.label', feeText(data.fee)],
  ]));
}

/* ---------- page ---------- */

export function renderPengajuan(root, ctx) {
  const state = readWizardState(ctx.params);
  if (state.clamped) {
    replace(wizardHash({
      izin: state.izin, layanan: state.layanan, permohonan: state.permohonan,
      langkah: state.step, cari: state.step === 1 ? state.cari : '',
    }));
  }
  ctx.setTitle(`${t('wizard.title')}: ${t('wizard.stepOf', { n: state.step })}`);
  root.append(
    h('h1', { tabindex: '-1' }, t('wizard.title')),
    h('p', { class: 'lead' }, t('wizard.intro')),
    wizardIndicator(state));
  const panel = h('section', { class: 'wizard-panel', 'aria-labelledby': 'step-heading' });
  root.appendChild(panel);
  [null, step1, step2, step3, step4][state.step](panel, ctx, state);
}
