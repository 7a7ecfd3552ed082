import { h, icon, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import { authApi } from './api.js';
import { buildHash, redirect } from './router.js';
import { flash, showError, showMessage } from './ui.js';
import { isSignedIn, login, safeNext } from './auth.js';
import { makeField, makeForm, authCard } from './form.js';
import { renderActivation } from './aktivasi.js';

const CAPTCHA_WIDTH = 280;
const CAPTCHA_HEIGHT = 90;

/**
 * The security code: its image, a button for a new one, and the answer's input.
 * Each code works once, so a new one is fetched after every failed attempt.
 */
export function captchaBox(ctx, field) {
  let captchaId = '';
  let timer = 0;
  let token = 0;
  const status = h('p', { class: 'captcha-status', role: 'status' });
  const frame = h('div', { class: 'captcha-frame' });
  const refresh = h('button', {
    type: 'button',
    class: 'btn btn-secondary captcha-refresh',
    'data-action': 'ganti-kode',
    'aria-label': t('login.captchaRefresh'),
  }, icon('refresh', 20), h('span', { 'aria-hidden': 'true' }, t('login.captchaRefreshShort')));

  const load = async ({ announce = false } = {}) => {
    token += 1;
    const mine = token;
    clearTimeout(timer);
    captchaId = '';
    refresh.disabled = true;
    frame.setAttribute('aria-busy', 'true');
    replaceChildren(frame, h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('span', { class: 'visually-hidden' }, t('login.captchaLoading')));
    let answer;
    try {
      answer = await authApi.captcha();
    } catch (err) {
      if (!ctx.isCurrent() || mine !== token) return;
      refresh.disabled = false;
      frame.removeAttribute('aria-busy');
      replaceChildren(frame, h('span', { class: 'captcha-failed' }, t('login.captchaFailed')));
      showError(err, { retry: () => load({ announce: true }), hint: t('login.captchaFailedHint') });
      return;
    }
    if (!ctx.isCurrent() || mine !== token) return;
    captchaId = answer.captchaId;
    refresh.disabled = false;
    frame.removeAttribute('aria-busy');
    replaceChildren(frame, h('img', {
      src: answer.image,
      alt: t('login.captchaAlt'),
      width: CAPTCHA_WIDTH,
      height: CAPTCHA_HEIGHT,
      class: 'captcha-img',
      'data-testid': 'captcha-image',
      'data-captcha-id': answer.captchaId,
    }));
    field.input.value = '';
    status.textContent = announce ? t('login.captchaNew') : '';
    const seconds = Number(answer.expiresIn) || 300;
    timer = setTimeout(() => {
      if (ctx.isCurrent() && document.body.contains(frame)) load({ announce: true });
    }, seconds * 1000);
  };

  refresh.addEventListener('click', () => {
    load({ announce: true });
    field.input.focus();
  });

  // The image and its button sit between the label's hint and the input.
  field.wrap.insertBefore(h('div', { class: 'captcha' }, frame, refresh), field.input);
  field.input.after(status);
  return { load, id: () => captchaId };
}

/** The Kode Keamanan input (Masuk and Pendaftaran); `captchaBox` adds its image. */
export function captchaField() {
  return makeField({
    name: 'captchaAnswer',
    label: t('login.captcha'),
    hint: t('login.captchaHint'),
    secret: true,
    check: (v) => (String(v).trim() ? '' : t('v.captcha')),
    attrs: { autocapitalize: 'characters', spellcheck: 'false', maxlength: 16, 'data-testid': 'captcha-answer' },
  });
}

export function renderMasuk(root, ctx) {
  const next = safeNext(ctx.params.get('next'));
  if (isSignedIn()) {
    redirect(`#${next || '/'}`);
    return;
  }

  const username = makeField({
    name: 'username',
    label: t('login.username'),
    autocomplete: 'username',
    check: (v) => (String(v).trim().length >= 3 ? '' : t('v.username')),
    attrs: { autocapitalize: 'none', spellcheck: 'false', maxlength: 254 },
  });
  const password = makeField({
    name: 'password',
    label: t('login.password'),
    type: 'password',
    autocomplete: 'current-password',
    check: (v) => (v ? '' : t('v.required')),
    attrs: { maxlength: 128 },
  });
  const code = captchaField();

  let captcha = null;
  const form = makeForm({
    name: 'form-masuk',
    draftKey: '/masuk',
    submitLabel: t('login.submit'),
    busyLabel: t('login.busy'),
    async onSubmit(values) {
      const captchaId = captcha.id();
      if (!captchaId) {
        code.setError(t('login.captchaMissing'));
        code.input.focus();
        return;
      }
      let user;
      try {
        user = await login({
          username: values.username.trim(),
          password: values.password,
          captchaId,
          captchaAnswer: values.captchaAnswer.trim(),
        });
      } catch (err) {
        // The code is spent, right or wrong: show a new one.
        captcha.load();
        if (err.code === 'KODE_KEAMANAN_SALAH') {
          form.showFailure(err);
        } else if (err.code === 'AKUN_BELUM_AKTIF') {
          // The password was right: the account waits for its activation code.
          form.dropDraft();
          renderActivation(root, { username: values.username.trim(), next });
          showMessage(err.message, 'info');
        } else if (err.code === 'AKUN_TERKUNCI') {
          showError(err, { hint: t('login.lockedHint'), links: [{ href: '#/lupa-password', text: t('login.forgot') }] });
        } else if (err.code === 'LOGIN_GAGAL') {
          showError(err, { hint: t('login.failedHint') });
          password.input.focus();
          password.input.select();
        } else {
          form.showFailure(err, { hint: t('login.retryHint') });
        }
        return;
      }
      form.dropDraft();
      flash(t('login.welcome', { name: (user && user.name) || '' }));
      redirect(`#${next || '/'}`);
    },
  });
  form.add(username, password, code);
  captcha = captchaBox(ctx, code);
  form.restoreDraft();

  const registerHref = buildHash('/daftar', { next });
  form.actions.appendChild(h('a', { class: 'form-link', href: '#/lupa-password', 'data-testid': 'link-lupa-password' },
    t('login.forgot')));

  root.appendChild(authCard({ titleKey: 'login.title', leadKey: next ? 'login.leadNext' : 'login.lead' },
    form.el,
    h('div', { class: 'auth-alt' },
      h('p', null, t('login.noAccount')),
      h('a', { class: 'btn btn-secondary', href: registerHref, 'data-testid': 'link-daftar' }, t('nav.daftar')))));

  captcha.load();
}
