import { inboxApi } from './api.js';
import { isSignedIn } from './auth.js';

/**
 * The unread count the header shows. Asked again on every page change and after the
 * Inbox marks something read; an answer to a request sent before the latest change is
 * dropped, so a slow old answer never brings back a count already read away.
 */

let unread = 0;
let generation = 0;
const listeners = new Set();

function set(value) {
  const next = Math.max(0, Number(value) || 0);
  if (next === unread) return;
  unread = next;
  listeners.forEach((fn) => fn(unread));
}

export function unreadCount() {
  return unread;
}

export function onUnreadChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Ask the server for the count (signed in only); a failure keeps the last count shown. */
export async function refreshUnread() {
  generation += 1;
  const mine = generation;
  if (!isSignedIn()) {
    set(0);
    return;
  }
  try {
    const answer = await inboxApi.unreadCount();
    if (mine === generation && isSignedIn()) set(answer && answer.unread);
  } catch {
    /* the badge is a convenience: the Inbox page itself says when it cannot load */
  }
}

/** What the Inbox page just changed (one message read, or all): shown at once, then confirmed. */
export function unreadChanged(value) {
  generation += 1;
  set(value);
  refreshUnread();
}
