/** Hash routes look like `#/pengajuan?izin=..&langkah=2`. */
export function parseHash(hash = window.location.hash) {
  let raw = String(hash || '').replace(/^#/, '');
  if (!raw.startsWith('/')) raw = `/${raw}`;
  const q = raw.indexOf('?');
  let path = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? '' : raw.slice(q + 1);
  path = path.replace(/\/+$/, '') || '/';
  try {
    path = decodeURIComponent(path);
  } catch {
    /* keep the raw path */
  }
  return { path, params: new URLSearchParams(query) };
}

/** buildHash('/pengajuan', {izin: 'a', langkah: 2}) -> '#/pengajuan?izin=a&langkah=2' */
export function buildHash(path, params = {}) {
  const qs = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    qs.set(key, String(value));
  }
  const query = qs.toString();
  return `#${path}${query ? `?${query}` : ''}`;
}

/** Go to a route, adding a history entry (the router renders on hashchange). */
export function go(hash) {
  if (window.location.hash === hash) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = hash;
  }
}

/** Rewrite the address without rendering or adding a history entry. */
export function replace(hash) {
  const url = `${window.location.pathname}${window.location.search}${hash}`;
  window.history.replaceState(window.history.state, '', url);
}

/** Go to a route in place of the current history entry (after sign-in, sign-out, redirects). */
export function redirect(hash) {
  if (window.location.hash === hash) {
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.replace(`${window.location.pathname}${window.location.search}${hash}`);
  }
}
