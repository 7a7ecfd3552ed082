import { h, icon, replaceChildren, uniqueId } from './dom.js';
import { t } from './i18n.js';
import { inboxApi, SESSION_ENDED } from './api.js';
import { formatDateTime } from './format.js';
import { go } from './router.js';
import { showError, showMessage, clearAlert, loading } from './ui.js';
import { onUnreadChange, unreadChanged, unreadCount } from './inbox-count.js';
import { monitoringHash } from './pengiriman.js';

/**
 * Inbox (manual C.4, Gambar 20), at #/inbox: the messages about the applicant's
 * applications, newest first, the unread ones marked; opening one marks it read and
 * goes to its application; "Muat lebih banyak" follows the cursor; "Tandai semua dibaca".
 */

const APPLICATION_LINK = /^#\/permohonan\/([A-Za-z0-9_-]{8,64})$/;
const SAFE_LINK = /^#\/(permohonan|permohonan-saya|monitoring|survei|pengaduan)\/[A-Za-z0-9_%-]{1,80}(\/resi)?$/;

/**
 * Where a message leads. The application's own page is where a perbaikan is made; for any
 * other news its Detail Informasi (status, receipt, Unduh Izin) says more. Anything that is
 * not one of our own pages is never followed.
 */
export function messageTarget(message) {
  const link = String(message.link || '');
  const application = APPLICATION_LINK.exec(link);
  if (application && message.kind !== 'perbaikan') return `#/permohonan-saya/${application[1]}`;
  if (SAFE_LINK.test(link)) return link;
  if (message.applicationId) return `#/permohonan-saya/${encodeURIComponent(message.applicationId)}`;
  if (message.receiptNumber) return monitoringHash(message.receiptNumber);
  return '';
}

function kindText(kind) {
  const key = `kind.${kind}`;
  const text = t(key);
  return text === key ? '' : text;
}

function messageItem(message, onOpen) {
  const titleId = uniqueId('pesan');
  const target = messageTarget(message);
  const state = h('span', { class: 'inbox-state' },
    message.read ? t('inbox.read') : [h('span', { class: 'unread-dot', 'aria-hidden': 'true' }), t('inbox.unread')]);
  const title = h('span', { class: 'inbox-title', id: titleId }, message.title || kindText(message.kind));
  const content = [
    h('span', { class: 'inbox-meta' },
      state,
      kindText(message.kind) ? h('span', { class: 'inbox-kind' }, kindText(message.kind)) : null,
      h('time', { class: 'inbox-time', datetime: message.createdAt, 'data-testid': 'waktu-pesan' }, formatDateTime(message.createdAt))),
    title,
    message.body ? h('span', { class: 'inbox-body' }, message.body) : null,
    message.receiptNumber ? h('span', { class: 'inbox-receipt' }, t('inbox.receipt', { n: message.receiptNumber })) : null,
  ];
  const opener = target
    ? h('a', { class: 'inbox-open', href: target }, content)
    : h('div', { class: 'inbox-open' }, content);
  const li = h('li', {
    class: ['inbox-item', message.read ? 'is-read' : 'is-unread'],
    'data-testid': `pesan-${message.messageId}`,
    'data-read': message.read ? 'true' : 'false',
  }, opener);
  const markShown = () => {
    message.read = true;
    li.classList.replace('is-unread', 'is-read');
    li.dataset.read = 'true';
    replaceChildren(state, t('inbox.read'));
  };
  li.markShown = markShown;
  if (target) {
    opener.addEventListener('click', (e) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      onOpen(message, markShown, target);
    });
  }
  return li;
}

export function renderInbox(root, ctx) {
  const countLine = h('p', { class: 'search-count', role: 'status', 'data-testid': 'jumlah-belum-dibaca' });
  const markAll = h('button', { type: 'button', class: 'btn btn-secondary', 'data-action': 'tandai-semua', hidden: true },
    icon('check', 18), t('inbox.markAll'));
  const list = h('ul', { class: 'inbox-list', 'aria-label': t('inbox.listLabel'), 'data-testid': 'daftar-pesan' });
  const more = h('button', { type: 'button', class: 'btn btn-secondary', hidden: true, 'data-action': 'muat-lagi' },
    t('btn.muatLagi'));
  const body = h('div', { class: 'list-body' }, loading(t('inbox.loading')));
  root.append(
    h('h1', { tabindex: '-1' }, t('nav.inbox')),
    h('p', { class: 'lead' }, t('inbox.lead')),
    h('div', { class: 'inbox-toolbar' }, countLine, markAll),
    body);

  let cursor = null;
  let opening = false;
  const items = [];

  const showUnread = () => {
    const shownUnread = items.filter((m) => !m.read).length;
    const n = Math.max(unreadCount(), shownUnread);
    countLine.textContent = items.length ? t('inbox.unreadCount', { n }) : '';
    markAll.hidden = n === 0;
  };

  const open = async (message, markShown, target) => {
    if (opening) return;
    opening = true;
    if (!message.read) {
      try {
        await inboxApi.markRead(message.messageId);
        markShown();
        unreadChanged(unreadCount() - 1);
      } catch (err) {
        // Reading the application matters more than the mark; the count stays as the server has it.
        if (err.kind === SESSION_ENDED) {
          opening = false;
          return;
        }
      }
    }
    opening = false;
    if (ctx.isCurrent()) go(target);
  };

  const load = async ({ reset }) => {
    more.disabled = true;
    let page;
    try {
      page = await inboxApi.list({ cursor: reset ? null : cursor });
    } catch (err) {
      if (!ctx.isCurrent() || err.kind === SESSION_ENDED) return;
      more.disabled = false;
      if (reset) replaceChildren(body, h('p', { class: 'inline-error' }, t('err.inline')));
      showError(err, { retry: () => load({ reset }) });
      return;
    }
    if (!ctx.isCurrent()) return;
    const fresh = (page.items || []).filter((m) => !items.some((known) => known.messageId === m.messageId));
    fresh.forEach((message) => {
      items.push(message);
      list.appendChild(messageItem(message, open));
    });
    cursor = page.cursor || null;
    more.hidden = !cursor;
    more.disabled = false;
    if (!items.length && !cursor) {
      replaceChildren(body, h('p', { class: 'empty', 'data-testid': 'inbox-kosong' }, t('inbox.empty')));
    } else if (!list.isConnected) {
      replaceChildren(body, list, more);
    }
    showUnread();
  };

  markAll.addEventListener('click', async () => {
    if (markAll.getAttribute('aria-busy') === 'true') return;
    markAll.setAttribute('aria-busy', 'true');
    markAll.disabled = true;
    clearAlert();
    try {
      await inboxApi.markAllRead();
    } catch (err) {
      markAll.removeAttribute('aria-busy');
      markAll.disabled = false;
      if (ctx.isCurrent() && err.kind !== SESSION_ENDED) {
        showError(err, { hint: t('inbox.markFailedHint'), retry: () => markAll.click() });
      }
      return;
    }
    markAll.removeAttribute('aria-busy');
    markAll.disabled = false;
    if (!ctx.isCurrent()) return;
    list.querySelectorAll('.inbox-item.is-unread').forEach((li) => li.markShown());
    unreadChanged(0);
    showUnread();
    showMessage(t('inbox.allMarked'));
  });
  more.addEventListener('click', () => load({ reset: false }));
  const stopFollowing = onUnreadChange(() => {
    if (ctx.isCurrent()) showUnread();
    else stopFollowing();
  });
  load({ reset: true });
}
