import { h } from './dom.js';
import { t } from './i18n.js';
import { request } from './api.js';
import { buildHash, redirect } from './router.js';
import { flash, showMessage, showError } from './ui.js';
import { makeField, makeForm, authCard, saveDraft } from './form.js';

const open = { renew: false };

/** The 6-digit code sent by e-mail and SMS (activation, a new contact's confirmation). */
export function codeField(name, labelKey) {
  return makeField({
    name,
    label: t(labelKey),
    hint: t('activate.codeHint'),
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    secret: true,
    check: (v) => (/^\d{6}$/.test(String(v || '').trim()) ? '' : t('v.code')),
    attrs: { maxlength: 6, pattern: '[0-9]*', 'data-testid': `input-${name}` },
  });
}

/**
 * Aktivasi Akun: the code box and "Kirim ulang kode", shown after Pendaftaran and when
 * Masuk answers that the account is not active yet. Afterwards the login page opens with
 * the NIK or e-mail filled in.
 */
export function renderActivation(root, { username, next = '' }) {
  const code = codeField('code', 'activate.code');
  const form = makeForm({
    name: 'form-aktivasi',
    submitLabel: t('activate.submit'),
    busyLabel: t('activate.busy'),
    async onSubmit(values) {
      const answer = await request('POST', '/api/auth/activate', {
        ...open,
        body: { username, code: values.code.trim() },
      });
      saveDraft('/masuk', { username });
      flash((answer && answer.message) || t('activate.done'));
      redirect(buildHash('/masuk', { next }));
    },
  });
  form.add(code);

  const resend = h('button', { type: 'button', class: 'btn btn-secondary', 'data-action': 'kirim-ulang-kode' },
    t('activate.resend'));
  resend.addEventListener('click', async () => {
    resend.disabled = true;
    try {
      const answer = await request('POST', '/api/auth/activate/resend', { ...open, body: { username } });
      showMessage((answer && answer.message) || t('activate.resent'));
    } catch (err) {
      showError(err);
    } finally {
      resend.disabled = false;
      code.input.focus();
    }
  });
  form.actions.appendChild(resend);

  root.replaceChildren(authCard({ titleKey: 'activate.title' },
    h('p', { class: 'lead', 'data-testid': 'activation-lead' }, t('activate.lead', { username })),
    form.el));
  root.querySelector('h1').focus();
  code.input.focus();
}
