import { h, clear, icon, replaceChildren } from './dom.js';
import { t } from './i18n.js';

function alertRegion() {
  return document.querySelector('[data-testid="alert"]');
}

export function focusPageHeading() {
  const target = document.querySelector('#page [data-focus]') || document.querySelector('#page h1');
  if (target) target.focus({ preventScroll: true });
}

export function clearAlert() {
  const region = alertRegion();
  if (region) clear(region);
}

/**
 * Show an error in the page's alert region with what to do next.
 * options.retry: function for the "Coba lagi" button (retryLabel names it otherwise);
 * options.links: [{href, text}].
 */
export function showError(error, { retry, retryLabel, hint, links = [] } = {}) {
  const region = alertRegion();
  if (!region) return;
  const message = (error && error.message) || t('err.server');
  const notFound = error && error.status === 404;
  const actions = h('div', { class: 'alert-actions' });
  if (retry) {
    actions.appendChild(h('button', {
      type: 'button',
      class: 'btn btn-primary',
      onclick: () => {
        clearAlert();
        retry();
        if (!document.activeElement || document.activeElement === document.body) focusPageHeading();
      },
    }, retryLabel || t('btn.retry')));
  }
  links.forEach((l) => actions.appendChild(h('a', { class: 'btn btn-secondary', href: l.href }, l.text)));

  clear(region);
  region.appendChild(h('div', { class: 'alert-box' },
    h('span', { class: 'alert-icon' }, icon('info')),
    h('div', { class: 'alert-body' },
      h('p', { class: 'alert-title' }, t('err.title')),
      h('p', { class: 'alert-message' }, message),
      h('p', { class: 'alert-hint' }, hint || (notFound ? t('err.hintNotFound') : t('err.hintRetry'))),
      actions.childNodes.length ? actions : null)));
  const rect = region.getBoundingClientRect();
  if (rect.top < 0 || rect.bottom > window.innerHeight) region.scrollIntoView({ block: 'nearest' });
}

/**
 * A non-error message in the alert region: kind 'success' (green, with a title)
 * or 'info' (accent colour). Used for "saved", "PIN sent", "session ended".
 */
export function showMessage(message, kind = 'success') {
  const region = alertRegion();
  if (!region) return;
  clear(region);
  region.appendChild(h('div', { class: `alert-box alert-${kind}`, 'data-kind': kind },
    h('span', { class: 'alert-icon' }, icon(kind === 'success' ? 'check' : 'info')),
    h('div', { class: 'alert-body' },
      kind === 'success' ? h('p', { class: 'alert-title' }, t('msg.success')) : null,
      h('p', { class: 'alert-message' }, message))));
  const rect = region.getBoundingClientRect();
  if (rect.top < 0 || rect.bottom > window.innerHeight) region.scrollIntoView({ block: 'nearest' });
}

let pendingMessage = null;

/** A message for the next page shown (e.g. "Pendaftaran berhasil" on the login page). */
export function flash(message, kind = 'success') {
  pendingMessage = { message, kind };
}

/** Show the flashed message, if any; the router calls this after each page change. */
export function showFlash() {
  if (!pendingMessage) return;
  const { message, kind } = pendingMessage;
  pendingMessage = null;
  showMessage(message, kind);
}

export function loading(text = t('loading.generic')) {
  return h('div', { class: 'loading', role: 'status' },
    h('span', { class: 'spinner', 'aria-hidden': 'true' }),
    h('span', null, text));
}

/**
 * Ask for confirmation in a modal dialog; resolves true when the user confirms.
 * `confirmClass` styles the confirming button (a red one for destructive actions by default).
 * With `onConfirm` (async), the dialog stays open and busy (`busyText`) until it settles, so a
 * second tap lands on a disabled button rather than on the page beneath.
 */
export function confirmDialog({
  title, body, confirmText, cancelText, confirmClass = 'btn-danger', testId = null, busyText = '', onConfirm = null,
}) {
  if (typeof HTMLDialogElement !== 'function') {
    // eslint-disable-next-line no-alert
    const ok = window.confirm(`${title}\n\n${body}`);
    return Promise.resolve(ok && onConfirm ? onConfirm() : null).then(() => ok);
  }
  return new Promise((resolve) => {
    const titleId = 'confirm-title';
    const bodyId = 'confirm-body';
    const stay = h('button', { type: 'submit', value: 'no', class: 'btn btn-secondary', autofocus: true }, cancelText);
    const yes = h('button', { type: 'submit', value: 'yes', class: `btn ${confirmClass}` }, confirmText);
    const form = h('form', { method: 'dialog' },
      h('h2', { id: titleId, class: 'dialog-title' }, title),
      h('p', { id: bodyId }, body),
      h('div', { class: 'dialog-actions' }, stay, yes));
    const dialog = h('dialog', {
      class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': bodyId, 'data-testid': testId,
    }, form);
    let busy = false;
    form.addEventListener('submit', async (e) => {
      if (!onConfirm || e.submitter !== yes) return;
      e.preventDefault();
      if (busy) return;
      busy = true;
      stay.disabled = true;
      yes.disabled = true;
      dialog.setAttribute('aria-busy', 'true');
      if (busyText) replaceChildren(yes, h('span', { class: 'spinner spinner-small', 'aria-hidden': 'true' }), busyText);
      try {
        await onConfirm();
      } finally {
        dialog.close('yes');
      }
    });
    // Escape closes the dialog, except while the confirmed action runs.
    dialog.addEventListener('cancel', (e) => {
      if (busy) e.preventDefault();
    });
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'yes';
      dialog.remove();
      resolve(ok);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    stay.focus();
  });
}
