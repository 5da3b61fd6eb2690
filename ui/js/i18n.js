// The UI's languages: French (default), Arabic (right to left) and English.
//
// Strings live in ../i18n/{fr,ar,en}.js, one flat table per language. Elements carry their key
// (data-i18n, data-i18n-placeholder, data-i18n-title, data-i18n-aria, + data-i18n-args) so that a
// language switch re-translates the page in place, without rebuilding forms or losing input.
// Error codes from the shell map to `error.<code>` keys, falling back to the family
// (`error.provider`) and then to a generic message; the core's English message is the detail.

import fr from '../i18n/fr.js';

export const LANGS = ['fr', 'ar', 'en'];
// French is always there (and the fallback); the others are fetched the first time they are used,
// so that start-up loads one table, not three.
const TABLES = { fr };
const LOADERS = { ar: () => import('../i18n/ar.js'), en: () => import('../i18n/en.js') };
const LOCALES = { fr: 'fr-MA', ar: 'ar-MA', en: 'en-GB' };

let current = 'fr';
let switching = 0; // the latest setLang call wins when tables arrive out of order
const listeners = new Set();

export function lang() {
  return current;
}

export function locale() {
  return LOCALES[current];
}

export function isLang(l) {
  return LANGS.includes(l);
}

/** The text for `key` in the current language, with {name} placeholders filled from `args`. */
export function t(key, args) {
  let s = table()[key] ?? TABLES.fr[key];
  if (s === undefined) {
    console.warn('i18n: missing key', key);
    s = key;
  }
  if (args) s = s.replace(/\{(\w+)\}/g, (m, k) => (args[k] !== undefined ? String(args[k]) : m));
  return s;
}

/** Whether a key exists (in the current language or French). */
export function has(key) {
  return key in table() || key in TABLES.fr;
}

function table() {
  return TABLES[current] || TABLES.fr;
}

/**
 * Sets the language: loads its table if needed, then <html lang/dir>, every tagged element, then
 * the listeners. If the table cannot be loaded the language is still set and French fills in.
 */
export async function setLang(l) {
  const next = isLang(l) ? l : 'fr';
  const mine = ++switching;
  if (!TABLES[next]) {
    try {
      TABLES[next] = (await LOADERS[next]()).default;
    } catch (e) {
      console.warn('i18n: cannot load', next, e);
    }
    if (mine !== switching) return;
  }
  current = next;
  const root = document.documentElement;
  root.lang = current;
  root.dir = current === 'ar' ? 'rtl' : 'ltr';
  translate(document);
  document.title = t('app.title');
  for (const fn of listeners) fn(current);
}

/** Calls fn(lang) after each language change. Returns an unsubscribe function. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function args(el) {
  const a = el.dataset.i18nArgs;
  if (!a) return undefined;
  try {
    return JSON.parse(a);
  } catch {
    return undefined;
  }
}

/** Re-applies the translation keys found under `root`. */
export function translate(root) {
  const each = (sel, fn) => {
    if (root.matches && root.matches(sel)) fn(root);
    root.querySelectorAll(sel).forEach(fn);
  };
  each('[data-i18n]', (el) => (el.textContent = t(el.dataset.i18n, args(el))));
  each('[data-i18n-placeholder]', (el) => (el.placeholder = t(el.dataset.i18nPlaceholder, args(el))));
  each('[data-i18n-title]', (el) => (el.title = t(el.dataset.i18nTitle, args(el))));
  each('[data-i18n-aria]', (el) => el.setAttribute('aria-label', t(el.dataset.i18nAria, args(el))));
}

/** Tags `el` with a key (and args) and sets its text now. */
export function setText(el, key, a) {
  el.dataset.i18n = key;
  if (a) el.dataset.i18nArgs = JSON.stringify(a);
  else delete el.dataset.i18nArgs;
  el.textContent = t(key, a);
}

/** The translation key for an error code: exact, then its family, then generic. */
export function errorKey(code) {
  const c = String(code || '');
  if (has('error.' + c)) return 'error.' + c;
  const family = c.split('.')[0];
  if (has('error.' + family)) return 'error.' + family;
  return 'error.unknown';
}

/** The translation key for a notice code (`notice.<code>`), or null: then show its message. */
export function noticeKey(code) {
  const k = 'notice.' + String(code || '');
  return has(k) ? k : null;
}

/**
 * `s` isolated for the bidi algorithm (FSI ... PDI): a reference, a path, a placeholder or a
 * Latin name inside an Arabic sentence keeps its own order ("0001/DAG/2026", "[NOM_1]").
 */
export function iso(s) {
  return '\u2068' + String(s ?? '') + '\u2069';
}

/** Formats a number in the UI's locale. */
export function num(n, opts) {
  return new Intl.NumberFormat(locale(), opts).format(n);
}

/** Seconds with one decimal, e.g. "3,2 s". */
export function seconds(ms) {
  return t('unit.seconds', { n: num(ms / 1000, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) });
}
