// DOM helpers: every element of the UI is built here with createElement and textContent.
// No innerHTML anywhere, so text from templates, files or the model can never become markup;
// and no style attributes (the CSP forbids them): looks are classes in css/app.css.

import { t } from './i18n.js';

const FORBIDDEN = new Set(['innerHTML', 'outerHTML', 'style', 'srcdoc']);

/**
 * h('button', {class: 'btn', i18n: 'home.title', onclick: fn}, child, 'text', ...)
 * - `text`: textContent; `i18n` (+ `i18nArgs`): a translation key, re-applied on language change;
 *   `i18nPlaceholder`, `i18nTitle`, `i18nAria`: the same for those attributes;
 * - `dataset`: data-* attributes; `on*` functions: event listeners;
 * - booleans set/omit the attribute; everything else is setAttribute.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v == null || v === false) continue;
      if (FORBIDDEN.has(k)) throw new Error(`h(): ${k} is not allowed`);
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'i18n') el.dataset.i18n = v;
      else if (k === 'i18nArgs') el.dataset.i18nArgs = JSON.stringify(v);
      else if (k === 'i18nPlaceholder') el.dataset.i18nPlaceholder = v;
      else if (k === 'i18nTitle') el.dataset.i18nTitle = v;
      else if (k === 'i18nAria') el.dataset.i18nAria = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  if (props) {
    // Translated now, and tagged so that a language switch translates again (i18n.translate).
    const a = props.i18nArgs || undefined;
    if (props.i18n) el.textContent = t(props.i18n, a);
    if (props.i18nPlaceholder) el.placeholder = t(props.i18nPlaceholder, a);
    if (props.i18nTitle) el.title = t(props.i18nTitle, a);
    if (props.i18nAria) el.setAttribute('aria-label', t(props.i18nAria, a));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Shows or hides with the `hidden` attribute (css makes it win over display rules). */
export function show(el, visible) {
  el.hidden = !visible;
}

/** Calls `fn` `ms` after the last call; `maxWait` bounds the delay under continuous calls. */
export function debounce(fn, ms, maxWait = Infinity) {
  let timer = null;
  let first = 0;
  const run = () => {
    timer && clearTimeout(timer);
    timer = null;
    first = 0;
    fn();
  };
  const d = () => {
    const now = Date.now();
    if (!first) first = now;
    timer && clearTimeout(timer);
    if (now - first >= maxWait) run();
    else timer = setTimeout(run, ms);
  };
  d.flush = () => {
    if (timer) run();
  };
  d.cancel = () => {
    timer && clearTimeout(timer);
    timer = null;
    first = 0;
  };
  return d;
}

/** The last part of a path, whatever the separator. */
export function basename(path) {
  return String(path || '').split(/[\\/]/).filter(Boolean).pop() || String(path || '');
}

/** Lowercase, without accents nor Arabic diacritics: for searching. */
export function fold(s) {
  return String(s || '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, '')
    .replace(/[إأآا]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .toLowerCase();
}

/**
 * Scrolls the nearest scrolling ancestor of `el` so that it is visible (`center` or `nearest`),
 * and only that one: Element.scrollIntoView would also shift the fixed window layout.
 */
export function reveal(el, where = 'nearest') {
  let box = el.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) box = box.parentElement;
  if (!box) return;
  const r = el.getBoundingClientRect();
  const b = box.getBoundingClientRect();
  let delta = 0;
  if (where === 'center') delta = r.top + r.height / 2 - (b.top + b.height / 2);
  else if (r.top < b.top) delta = r.top - b.top - 8;
  else if (r.bottom > b.bottom) delta = Math.min(r.bottom - b.bottom + 8, r.top - b.top - 8);
  if (delta) box.scrollTop += delta;
}
