/*
 * The security code of Masuk and Daftar, asked for with the first page's other files rather
 * than after them: on a slow connection its round trip would otherwise wait for the whole
 * app. A small classic script that imports nothing, run before the app (index.html defers
 * both, in order), so the first request for a code (page-masuk.js, through api.js) is
 * always answered from this preload.
 */
if (/^#\/(?:masuk|daftar)(?:\?|$)/.test(window.location.hash)) {
  const link = document.createElement('link');
  link.rel = 'preload';
  link.as = 'fetch';
  link.crossOrigin = 'anonymous';
  link.href = 'api/auth/captcha';
  document.head.appendChild(link);
}
