import { h, icon, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { authApi } from './api.js';
import { go, redirect } from './router.js';
import { flash } from './ui.js';
import { isSignedIn } from './auth.js';
import { makeField, makeForm, authCard, rules, digitsOnly, readDraft, saveDraft, dropDraft, newPasswordFields } from './form.js';

const FORGOT_KEY = '/lupa-password';
const RESET_KEY = '/reset-password';

function identifierField(extra = {}) {
  return makeField({
    name: 'identifier',
    label: t('forgot.identifier'),
    hint: t('forgot.identifierHint'),
    inputmode: 'numeric',
    check: rules.identifier,
    attrs: { maxlength: 30 },
    ...extra,
  });
}

/** The manual's "Perhatian !" box of the Lupa Password form. */
function perhatian() {
  const id = uniqueId('perhatian');
  return h('section', { class: 'note-box', 'aria-labelledby': id, 'data-testid': 'perhatian' },
    h('h2', { id, class: 'note-title' }, icon('alert', 20), t('forgot.noteTitle')),
    h('ul', { class: 'note-list' },
      h('li', null, t('forgot.note1')),
      h('li', null, t('forgot.note2')),
      h('li', null, t('forgot.note3')),
      h('li', null, t('forgot.note4'))));
}

function backToLogin() {
  return h('div', { class: 'auth-alt' },
    h('a', { class: 'form-link', href: '#/masuk' }, t('forgot.backToLogin')));
}

/** Step 1 (manual A, Gambar 2): NIK / NPWP / No. NIB, No. Handphone and Email; "Minta PIN". */
export function renderLupaPassword(root) {
  if (isSignedIn()) {
    redirect('#/ubah-password');
    return;
  }
  const form = makeForm({
    name: 'form-lupa-password',
    draftKey: FORGOT_KEY,
    submitLabel: t('forgot.submit'),
    busyLabel: t('form.sending'),
    async onSubmit(values) {
      const identifier = digitsOnly(values.identifier);
      const answer = await authApi.forgotPassword({
        identifier,
        phone: values.phone.trim(),
        email: values.email.trim(),
      });
      saveDraft(RESET_KEY, { identifier });
      flash((answer && answer.message) || t('forgot.sent'));
      go('#/reset-password');
    },
  });
  form.add(
    identifierField(),
    makeField({
      name: 'phone',
      label: t('f.phone'),
      type: 'tel',
      autocomplete: 'tel',
      inputmode: 'tel',
      hint: t('forgot.phoneHint'),
      check: rules.phone,
      attrs: { maxlength: 20 },
    }),
    makeField({
      name: 'email',
      label: t('f.email'),
      type: 'email',
      autocomplete: 'email',
      hint: t('forgot.emailHint'),
      check: rules.email,
      attrs: { maxlength: 254, spellcheck: 'false', autocapitalize: 'none' },
    }),
  );
  form.restoreDraft();
  form.body.appendChild(perhatian());
  form.actions.appendChild(h('a', { class: 'form-link', href: '#/reset-password' }, t('forgot.havePin')));

  root.appendChild(authCard({ titleKey: 'forgot.title', leadKey: 'forgot.lead' }, form.el, backToLogin()));
}

/** Step 2: the PIN from the email/SMS and the new password; "Simpan". */
export function renderResetPassword(root) {
  if (isSignedIn()) {
    redirect('#/ubah-password');
    return;
  }
  const identifier = identifierField({ autocomplete: 'username' });
  const form = makeForm({
    name: 'form-reset-password',
    draftKey: RESET_KEY,
    submitLabel: t('btn.simpan'),
    busyLabel: t('form.saving'),
    async onSubmit(values) {
      const answer = await authApi.resetPassword({
        identifier: digitsOnly(values.identifier),
        pin: values.pin.trim(),
        newPassword: values.newPassword,
      });
      form.dropDraft();
      dropDraft(FORGOT_KEY);
      flash((answer && answer.message) || t('reset.done'));
      redirect('#/masuk');
    },
  });
  form.add(
    identifier,
    makeField({
      name: 'pin',
      label: t('reset.pin'),
      hint: t('reset.pinHint'),
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      secret: true,
      check: rules.pin,
      attrs: { maxlength: 6, pattern: '[0-9]*' },
    }),
    ...newPasswordFields({
      password: 'newPassword',
      confirmation: 'newPasswordConfirmation',
      passwordLabel: 'f.newPassword',
      confirmationLabel: 'f.newPasswordConfirmation',
    }),
  );
  if (!form.restoreDraft()) {
    const earlier = readDraft(FORGOT_KEY);
    if (earlier && earlier.identifier) identifier.input.value = earlier.identifier;
  }
  form.actions.appendChild(h('a', { class: 'form-link', href: '#/lupa-password' }, t('reset.newPin')));

  root.appendChild(authCard({ titleKey: 'reset.title', leadKey: 'reset.lead' }, form.el, backToLogin()));
}
