const STORAGE_KEY = 'lang';
export const LANGS = ['id', 'en'];
export const DEFAULT_LANG = 'id';

/**
 * Each language's words live in their own module (i18n-id.js, i18n-en.js) and only the chosen
 * one is fetched; app.js waits for `ready` before drawing anything.
 */
const LOADERS = { id: () => import('./i18n-id.js'), en: () => import('./i18n-en.js') };
const messages = {};

function loadLang(lang) {
  if (!messages[lang]) {
    messages[lang] = LOADERS[lang]().then((m) => {
      messages[lang] = m.default;
      return m.default;
    }).catch((err) => {
      delete messages[lang];
      throw err;
    });
  }
  return Promise.resolve(messages[lang]);
}

function readStoredLang() {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return LANGS.includes(v) ? v : null;
  } catch {
    return null;
  }
}

let current = (typeof window !== 'undefined' && readStoredLang()) || DEFAULT_LANG;
const listeners = new Set();

/** Settles once the chosen language's words are here (asked twice before giving up). */
export const ready = loadLang(current).catch(() => loadLang(current)).catch(() => null);

export function getLang() {
  return current;
}

/** Switch language once its words are here; a failed download leaves the page as it is. */
export async function setLang(lang) {
  if (!LANGS.includes(lang) || lang === current) return;
  try {
    await loadLang(lang);
  } catch {
    return;
  }
  current = lang;
  try {
    window.localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage unavailable (private mode): the choice lasts for this page only */
  }
  document.documentElement.lang = lang;
  listeners.forEach((fn) => fn(lang));
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Translate a key; `{name}` placeholders are filled from vars. Falls back to Indonesian when it is loaded. */
export function t(key, vars = {}) {
  const table = (words) => (words && !(words instanceof Promise) ? words : {});
  let entry = table(messages[current])[key];
  if (entry === undefined) entry = table(messages[DEFAULT_LANG])[key];
  if (entry === undefined) return key;
  if (typeof entry === 'function') return entry(vars);
  return entry.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}
