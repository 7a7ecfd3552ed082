import { h } from './dom.js';
import { t } from './i18n.js';
import { authApi } from './api.js';
import { buildHash, redirect } from './router.js';
import { showMessage } from './ui.js';
import { isSignedIn, safeNext } from './auth.js';
import { makeField, makeForm, authCard, rules, kabupatenOptions, digitsOnly, newPasswordFields } from './form.js';
import { captchaBox, captchaField } from './page-masuk.js';
import { renderActivation } from './aktivasi.js';

/** Fields shared by Pendaftaran and Edit Profile (manual B and C.5), in the manual's order. */
export function profileFields({ withPassword = false, nikReadonly = false } = {}) {
  const fields = [
    makeField({
      name: 'nik',
      label: t('f.nik'),
      hint: t(nikReadonly ? 'f.nikFixed' : 'f.nikHint'),
      inputmode: 'numeric',
      readonly: nikReadonly,
      check: rules.nik,
      attrs: { maxlength: 24, 'data-testid': 'input-nik' },
    }),
    makeField({
      name: 'name', label: t('f.name'), autocomplete: 'name', check: rules.name, attrs: { maxlength: 100 },
    }),
    makeField({
      name: 'email',
      label: t('f.email'),
      type: 'email',
      autocomplete: 'email',
      hint: t('f.emailHint'),
      check: rules.email,
      attrs: { maxlength: 254, spellcheck: 'false', autocapitalize: 'none' },
    }),
    makeField({
      name: 'phone',
      label: t('f.phone'),
      type: 'tel',
      autocomplete: 'tel',
      inputmode: 'tel',
      hint: t('f.phoneHint'),
      check: rules.phone,
      attrs: { maxlength: 20 },
    }),
  ];
  if (withPassword) {
    fields.push(
      ...newPasswordFields({
        password: 'password',
        confirmation: 'passwordConfirmation',
        passwordLabel: 'f.password',
        confirmationLabel: 'f.passwordConfirmation',
      }),
    );
  }
  fields.push(
    makeField({
      name: 'npwp',
      label: t('f.npwp'),
      optional: true,
      inputmode: 'numeric',
      hint: t('f.npwpHint'),
      check: rules.npwp,
      attrs: { maxlength: 24 },
    }),
    makeField({
      name: 'nib',
      label: t('f.nib'),
      optional: true,
      inputmode: 'numeric',
      hint: t('f.nibHint'),
      check: rules.nib,
      attrs: { maxlength: 20 },
    }),
    makeField({
      name: 'address',
      label: t('f.address'),
      control: 'textarea',
      autocomplete: 'street-address',
      hint: t('f.addressHint'),
      check: rules.address,
      wide: true,
      attrs: { maxlength: 300 },
    }),
    makeField({
      name: 'kabupatenKota',
      label: t('f.kabupatenKota'),
      control: 'select',
      options: kabupatenOptions(),
      check: rules.required,
    }),
  );
  return fields;
}

/** The body of PUT /api/me (and, with NIK and passwords, of registration). */
export function profileBody(values) {
  return {
    name: values.name.trim(),
    email: values.email.trim(),
    phone: values.phone.trim(),
    npwp: digitsOnly(values.npwp) || null,
    nib: digitsOnly(values.nib) || null,
    address: values.address.trim(),
    kabupatenKota: values.kabupatenKota,
  };
}

export function renderDaftar(root, ctx) {
  const next = safeNext(ctx.params.get('next'));
  if (isSignedIn()) {
    redirect(`#${next || '/'}`);
    return;
  }
  const code = captchaField();
  let captcha = null;
  const form = makeForm({
    name: 'form-daftar',
    draftKey: '/daftar',
    submitLabel: t('nav.daftar'),
    busyLabel: t('register.busy'),
    async onSubmit(values) {
      const captchaId = captcha.id();
      if (!captchaId) {
        code.setError(t('login.captchaMissing'));
        code.input.focus();
        return;
      }
      const nik = digitsOnly(values.nik);
      let answer;
      try {
        answer = await authApi.register({
          nik,
          ...profileBody(values),
          password: values.password,
          passwordConfirmation: values.passwordConfirmation,
          captchaId,
          captchaAnswer: values.captchaAnswer.trim(),
        });
      } catch (err) {
        captcha.load(); // the code is spent, right or wrong
        throw err;
      }
      form.dropDraft();
      // The account is usable once the code sent to the e-mail and phone is typed.
      renderActivation(root, { username: nik, next });
      showMessage((answer && answer.message) || t('register.done'));
    },
  });
  form.add(...profileFields({ withPassword: true }), code);
  captcha = captchaBox(ctx, code);
  form.restoreDraft();
  form.el.classList.add('form-columns');

  root.appendChild(authCard({ titleKey: 'register.title', leadKey: 'register.lead', wide: true },
    h('p', { class: 'form-required-note' }, t('form.requiredNote')),
    form.el,
    h('div', { class: 'auth-alt' },
      h('p', null, t('register.haveAccount')),
      h('a', { class: 'btn btn-secondary', href: buildHash('/masuk', { next }) }, t('nav.masuk')))));
  captcha.load();
}
