import { h, replaceChildren } from './dom.js';
import { t } from './i18n.js';
import { me, request, SESSION_ENDED } from './api.js';
import { showError, showMessage, loading } from './ui.js';
import { currentUser, renew, updateUser } from './auth.js';
import { makeField, makeForm, newPasswordFields } from './form.js';
import { profileFields, profileBody } from './page-daftar.js';
import { codeField } from './aktivasi.js';

const CONTACTS = ['email', 'phone'];

function formValues(profile) {
  return {
    nik: profile.nik || profile.username || '',
    name: profile.name || '',
    email: profile.email || '',
    phone: profile.phone || '',
    npwp: profile.npwp || '',
    nib: profile.nib || '',
    address: profile.address || '',
    kabupatenKota: profile.kabupatenKota || '',
  };
}

/** Edit Profile (manual C.5): the applicant's identity; the NIK is shown but cannot change. */
export function renderProfil(root, ctx) {
  const user = currentUser();
  const owner = (user && user.username) || '';
  root.append(
    h('h1', { tabindex: '-1' }, t('nav.profil')),
    h('p', { class: 'lead' }, t('profile.lead')));
  const body = h('div', { class: 'auth-card auth-card-wide' }, loading(t('profile.loading')));
  root.appendChild(h('div', { class: 'auth auth-wide' }, body));

  let saved = null;
  const note = h('div', { class: 'form-note', role: 'status' });
  // A new e-mail or phone number asks for the password, then for the code sent to it.
  const currentPassword = makeField({
    name: 'currentPassword',
    label: t('profile.currentPassword'),
    hint: t('profile.currentPasswordHint'),
    type: 'password',
    autocomplete: 'current-password',
    optional: true,
    attrs: { maxlength: 128 },
  });
  const pendingBox = h('div', { class: 'form-note', 'data-testid': 'contact-pending', hidden: true });

  const adopt = (answer) => {
    saved = formValues(answer);
    form.setValues(saved);
    form.dropDraft();
    note.replaceChildren();
    updateUser(answer);
  };

  const askForCode = (pending) => {
    const to = [pending.email, pending.phone].filter(Boolean).join(' / ');
    const code = codeField('contactCode', 'profile.confirmCode');
    const confirm = makeForm({
      name: 'form-konfirmasi-kontak',
      submitLabel: t('profile.confirm'),
      busyLabel: t('form.sending'),
      async onSubmit(values) {
        const answer = await request('POST', '/api/me/contact/confirm', { body: { code: values.contactCode.trim() } });
        adopt(answer);
        pendingBox.hidden = true;
        pendingBox.replaceChildren();
        showMessage(t('profile.confirmed'));
      },
    });
    confirm.add(code);
    pendingBox.replaceChildren(h('p', null, t('profile.pending', { to })), confirm.el);
    pendingBox.hidden = false;
    code.input.focus();
  };

  const form = makeForm({
    name: 'form-profil',
    draftKey: '/profil',
    owner,
    submitLabel: t('btn.simpan'),
    busyLabel: t('form.saving'),
    async onSubmit(values) {
      const body = profileBody(values);
      const contactsChanged = CONTACTS.some((key) => body[key] !== saved[key]);
      if (contactsChanged && !values.currentPassword) {
        currentPassword.setError(t('v.currentPassword'));
        currentPassword.input.focus();
        return;
      }
      const answer = await me.update(contactsChanged ? { ...body, currentPassword: values.currentPassword } : body);
      currentPassword.input.value = '';
      adopt(answer);
      if (answer.pending) {
        showMessage(t('profile.savedPending'), 'info');
        askForCode(answer.pending);
      } else {
        showMessage(t('profile.saved'));
      }
    },
  });
  form.add(...profileFields({ nikReadonly: true }), currentPassword);
  form.el.classList.add('form-columns');

  const showRestoredNote = () => {
    note.replaceChildren(
      h('p', null, t('profile.restored')),
      h('button', {
        type: 'button',
        class: 'btn btn-secondary',
        onclick: () => {
          form.dropDraft();
          form.clearErrors();
          form.setValues(saved);
          note.replaceChildren();
          form.field('name').input.focus();
        },
      }, t('profile.discard')));
  };

  (async () => {
    let profile;
    try {
      profile = await me.get();
    } catch (err) {
      if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
      replaceChildren(body, h('p', { class: 'inline-error' }, t('err.inline')));
      showError(err, { retry: ctx.retry });
      return;
    }
    if (!ctx.isCurrent()) return;
    saved = formValues(profile);
    form.setValues(saved);
    if (form.restoreDraft()) showRestoredNote();
    replaceChildren(body, h('p', { class: 'form-required-note' }, t('form.requiredNote')), note, form.el, pendingBox);
  })();
}

/** Ubah Password (manual C.6): Password Lama, Password Baru and its confirmation. */
export function renderUbahPassword(root) {
  const user = currentUser();
  const oldPassword = makeField({
    name: 'oldPassword',
    label: t('f.oldPassword'),
    type: 'password',
    autocomplete: 'current-password',
    check: (v) => (v ? '' : t('v.required')),
    attrs: { maxlength: 128 },
  });
  const [newPassword, confirmation] = newPasswordFields({
    password: 'newPassword',
    confirmation: 'newPasswordConfirmation',
    passwordLabel: 'f.newPassword',
    confirmationLabel: 'f.newPasswordConfirmation',
    extraCheck: (v, values) => (v === values.oldPassword ? t('v.passwordNotOld') : ''),
    words: 'v.newPassword',
  });
  const form = makeForm({
    name: 'form-ubah-password',
    submitLabel: t('btn.simpan'),
    busyLabel: t('form.saving'),
    async onSubmit(values) {
      await me.changePassword({ oldPassword: values.oldPassword, newPassword: values.newPassword });
      // Every session ended, this one too; its answer set a new refresh cookie to go on with.
      await renew();
      [oldPassword, newPassword, confirmation].forEach((f) => {
        f.input.value = '';
        if (f.reset) f.reset();
      });
      showMessage(t('password.saved'));
    },
  });
  // Lets password managers file the new password under the right account.
  form.el.prepend(h('input', {
    type: 'text', name: 'username', autocomplete: 'username', value: (user && user.username) || '',
    hidden: true, tabindex: '-1', 'aria-hidden': 'true',
  }));
  form.add(oldPassword, newPassword, confirmation);

  root.append(
    h('h1', { tabindex: '-1' }, t('nav.ubahPassword')),
    h('p', { class: 'lead' }, t('password.lead')),
    h('div', { class: 'auth' }, h('div', { class: 'auth-card' }, form.el)));
}
