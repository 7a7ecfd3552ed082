import { h, icon, replaceChildren, uniqueId } from './dom.js';
import { t, getLang } from './i18n.js';
import { get, post, SESSION_ENDED } from './api.js';
import { go } from './router.js';
import { showError, clearAlert, loading, flash } from './ui.js';

/**
 * Survey IKM (PermenPANRB No. 14 Tahun 2017). #/survei lists the applicant's applications that
 * ended (izin terbit or ditolak) and still wait for their survey; #/survei/<applicationId> is
 * the form: the nine elements, each rated 1-4 with the regulation's answer labels, and an
 * optional saran. One survey per application: the server refuses a second (409), and the page
 * says so in words.
 *
 * The elements and their labels come from the API in the regulation's Indonesian; in English
 * the page shows its own translation of each (i18n `survei.<u>.*`), falling back to the API's.
 */

const SCORES = [1, 2, 3, 4];

function pendingPage(cursor) {
  const q = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
  return get(`/api/surveys/pending${q}`);
}

/** Every pending survey (an applicant has few), and the questionnaire. */
async function allPending() {
  let cursor = null;
  const items = [];
  let elements = [];
  do {
    // eslint-disable-next-line no-await-in-loop
    const page = await pendingPage(cursor);
    items.push(...(page.items || []));
    elements = page.elements || elements;
    cursor = page.nextCursor || null;
  } while (cursor);
  return { items, elements };
}

/** The English words of the regulation's text where we have them; its Indonesian otherwise. */
function words(key, original) {
  if (getLang() === 'id') return original;
  const text = t(key);
  return text === key ? original : text;
}

function outcomeText(status) {
  return status === 'ditolak' ? t('survei.outcome.ditolak') : t('survei.outcome.terbit');
}

export async function renderSurveiList(root, ctx) {
  const body = h('div', { class: 'list-body' }, loading(t('survei.loading')));
  root.append(
    h('h1', { tabindex: '-1' }, t('nav.survey')),
    h('p', { class: 'lead' }, t('survei.lead')),
    body);
  let pending;
  try {
    pending = await allPending();
  } catch (err) {
    if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
    replaceChildren(body, h('p', { class: 'inline-error' }, t('err.inline')));
    showError(err, { retry: ctx.retry });
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!pending.items.length) {
    replaceChildren(body, h('p', { class: 'empty', 'data-testid': 'survei-kosong' }, t('survei.empty')));
    return;
  }
  replaceChildren(body, h('ul', { class: 'survei-list', 'data-testid': 'daftar-survei' },
    pending.items.map((item) => h('li', { class: 'survei-item' },
      h('a', { class: 'survei-open', href: `#/survei/${encodeURIComponent(item.applicationId)}`, 'data-testid': `survei-${item.applicationId}` },
        h('span', { class: 'survei-izin' }, item.izinName),
        h('span', { class: 'survei-meta' },
          item.receiptNumber ? t('inbox.receipt', { n: item.receiptNumber }) : '',
          ' · ', outcomeText(item.status)),
        h('span', { class: 'survei-cta' }, icon('star', 18), t('survei.fill')))))));
}

function elementFieldset(element, index) {
  const legendId = uniqueId('unsur');
  const name = words(`survei.${element.id}.name`, element.name);
  const question = words(`survei.${element.id}.question`, element.question);
  return h('fieldset', { class: 'survei-unsur', 'data-testid': `unsur-${element.id}`, 'aria-describedby': legendId },
    h('legend', { class: 'survei-legend' },
      h('span', { class: 'survei-no' }, `${index + 1}.`), ' ', name,
      h('span', { class: 'visually-hidden', id: legendId }, question)),
    h('div', { class: 'survei-choices' },
      SCORES.map((score) => {
        const choice = element.choices.find((c) => c.value === score) || { value: score, label: String(score) };
        const id = uniqueId(`${element.id}-${score}`);
        return h('span', { class: 'survei-choice' },
          h('input', { type: 'radio', name: element.id, id, value: String(score), required: true }),
          h('label', { for: id, 'data-testid': `pilih-${element.id}-${score}` },
            h('span', { class: 'survei-score', 'aria-hidden': 'true' }, String(score)),
            h('span', { class: 'survei-label' }, words(`survei.${element.id}.c${score}`, choice.label))));
      })));
}

/** The refusal of a survey already filled, or of an application that is not (or no longer) waiting. */
function notWaiting(root, message) {
  root.append(
    h('p', { class: 'empty', 'data-testid': 'survei-tidak-menunggu' }, message),
    h('p', null, h('a', { class: 'btn btn-secondary', href: '#/survei' }, t('survei.backToList'))));
}

export async function renderSurveiForm(root, ctx) {
  const applicationId = ctx.pathParams.id;
  const heading = h('h1', { tabindex: '-1' }, t('survei.formTitle'));
  const holder = h('div', null, loading(t('survei.loading')));
  root.append(heading, holder);
  let pending;
  try {
    pending = await allPending();
  } catch (err) {
    if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
    replaceChildren(holder, h('p', { class: 'inline-error' }, t('err.inline')));
    showError(err, { retry: ctx.retry });
    return;
  }
  if (!ctx.isCurrent()) return;
  const item = pending.items.find((i) => i.applicationId === applicationId);
  replaceChildren(holder);
  if (!item) {
    notWaiting(holder, t('survei.notWaiting'));
    return;
  }
  const saranId = uniqueId('saran');
  const saran = h('textarea', {
    id: saranId, name: 'saran', rows: 2, maxlength: 1000, class: 'survei-saran', 'data-testid': 'saran',
  });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block', 'data-action': 'kirim-survei' },
    t('survei.submit'));
  const form = h('form', { class: 'survei-form', novalidate: true, 'data-testid': 'form-survei' },
    h('p', { class: 'survei-about' },
      h('strong', null, item.izinName),
      item.receiptNumber ? ` · ${t('inbox.receipt', { n: item.receiptNumber })}` : ''),
    h('p', { class: 'survei-hint' }, t('survei.scaleHint')),
    pending.elements.map(elementFieldset),
    h('label', { for: saranId, class: 'survei-saran-label' }, t('survei.saran')),
    saran,
    submit);
  holder.append(form);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.disabled) return;
    clearAlert();
    const answers = {};
    const missing = [];
    pending.elements.forEach((element, i) => {
      const checked = form.querySelector(`input[name="${element.id}"]:checked`);
      if (checked) answers[element.id] = Number(checked.value);
      else missing.push(i + 1);
    });
    if (missing.length) {
      showError({ message: t('survei.missing', { n: missing.join(', ') }) }, { hint: t('survei.missingHint') });
      const first = form.querySelector(`[data-testid="unsur-${pending.elements[missing[0] - 1].id}"] input`);
      if (first) first.focus();
      return;
    }
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    try {
      await post('/api/surveys', { applicationId, answers, saran: saran.value.trim() || null });
    } catch (err) {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
      if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
      if (err.status === 409) {
        // Filled before (another tab, another device): the server's words, and no form to fill again.
        replaceChildren(holder);
        notWaiting(holder, err.message);
        showError(err, { hint: t('survei.alreadyHint') });
        return;
      }
      showError(err, { retry: () => submit.click() });
      return;
    }
    if (!ctx.isCurrent()) return;
    flash(t('survei.thanks'));
    go('#/survei');
  });
}
