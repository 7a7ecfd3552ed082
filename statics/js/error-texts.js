import { getLang, onLangChange } from './i18n.js';

/**
 * The API's errors in the reader's language, by their stable `code`. Only the chosen
 * language's table is fetched (again when the language changes).
 */
const LOADERS = { id: () => import('./errors-id.js'), en: () => import('./errors-en.js') };
const tables = {};

export function loadErrorTexts(lang = getLang()) {
  if (!tables[lang] && LOADERS[lang]) {
    tables[lang] = LOADERS[lang]().then((m) => {
      tables[lang] = m.default;
      return m.default;
    }).catch(() => {
      delete tables[lang];
    });
  }
  return Promise.resolve(tables[lang]);
}

onLangChange((lang) => {
  loadErrorTexts(lang);
});
// Indonesian shows the server's own messages, so its table is fetched only when first needed.
if (getLang() !== 'id') loadErrorTexts();

/**
 * What to show for an error answer: in Indonesian the server's own message (it names the
 * field and the limit); in another language the code's text, or the server's message when
 * the code is not known.
 */
export function errorMessage(code, serverMessage) {
  const lang = getLang();
  const table = tables[lang];
  if (!table) loadErrorTexts(lang);
  const text = code && table && !(table instanceof Promise) ? table[code] : '';
  if (lang === 'id') return serverMessage || text || '';
  return text || serverMessage || '';
}
