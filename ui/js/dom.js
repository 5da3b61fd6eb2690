// DOM helpers: every element of the UI is built here with createElement and textContent; the
// icons; and the messages every screen shares (error box, toast).
// No innerHTML anywhere, so text from templates, files or the model can never become markup;
// and no style attributes (the CSP forbids them): looks are classes in css/app.css.

import { openPath } from './api.js';
import { t, setText, errorKey, translate } from './i18n.js';

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

// ---------------------------------------------------------------------------------------------
// Icons: a few line icons drawn as SVG paths (24x24, stroked with currentColor), built with
// createElementNS (no markup strings, no external files). Decorative: hidden from screen readers.

const PATHS = {
  home: ['M3 11l9-7 9 7', 'M5 10v10h5v-6h4v6h5V10'],
  settings: [
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z',
    'M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z',
  ],
  search: ['M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14z', 'M20 20l-4-4'],
  file: ['M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z', 'M14 3v5h5'],
  sheet: ['M4 4h16v16H4z', 'M4 10h16', 'M4 15h16', 'M10 4v16'],
  letter: ['M4 6h16v12H4z', 'M4 7l8 6 8-6'],
  summary: ['M6 4h12v16H6z', 'M9 8h6', 'M9 12h6', 'M9 16h4'],
  upload: ['M12 16V4', 'M7 9l5-5 5 5', 'M5 20h14'],
  play: ['M7 4l13 8-13 8z'],
  stop: ['M6 6h12v12H6z'],
  refresh: ['M20 11a8 8 0 1 0-2.3 5.7', 'M20 4v7h-7'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  download: ['M12 4v12', 'M7 11l5 5 5-5', 'M5 20h14'],
  open: ['M14 4h6v6', 'M20 4l-9 9', 'M18 14v6H4V6h6'],
  check: ['M5 12l5 5 9-10'],
  alert: ['M12 3l10 18H2z', 'M12 10v4', 'M12 17.5v.5'],
  info: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 11v6', 'M12 7.5v.5'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  back: ['M15 5l-7 7 7 7'],
  chevron: ['M9 6l6 6-6 6'],
  up: ['M6 15l6-6 6 6'],
  down: ['M6 9l6 6 6-6'],
  eye: ['M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z', 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z'],
  key: ['M15 9a4 4 0 1 1-3.2 1.6', 'M11.8 10.6L4 18.4V21h3v-2h2v-2h2l1.4-1.4', 'M16 8h.01'],
  trash: ['M4 7h16', 'M10 11v6', 'M14 11v6', 'M6 7l1 13h10l1-13', 'M9 7V4h6v3'],
  plus: ['M12 5v14', 'M5 12h14'],
  edit: ['M4 20h4L19 9l-4-4L4 16z', 'M13 7l4 4'],
  plug: ['M9 3v5', 'M15 3v5', 'M6 8h12v3a6 6 0 0 1-12 0z', 'M12 17v4'],
  clock: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 7v5l3 2'],
  pen: ['M3 21l3-1 12-12-2-2L4 18z', 'M14 6l2-2 4 4-2 2'],
  calendar: ['M4 6h16v14H4z', 'M4 10h16', 'M8 3v5', 'M16 3v5'],
  shield: ['M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z', 'M9 12l2 2 4-4'],
  lock: ['M6 11h12v10H6z', 'M8 11V7a4 4 0 0 1 8 0v4'],
  note: ['M6 3h9l4 4v14H6z', 'M15 3v4h4', 'M9 11h7', 'M9 15h7'],
  act: ['M12 3l2.2 1.6 2.7-.1.8 2.6 2.2 1.6-.9 2.6.9 2.6-2.2 1.6-.8 2.6-2.7-.1L12 21l-2.2-1.6-2.7.1-.8-2.6-2.2-1.6.9-2.6-.9-2.6 2.2-1.6.8-2.6 2.7.1z', 'M9 12l2 2 4-4'],
  history: ['M3 12a9 9 0 1 0 3-6.7', 'M3 4v5h5', 'M12 8v4l3 2'],
  register: ['M5 3h14v18H5z', 'M9 3v18', 'M12 8h4', 'M12 12h4', 'M12 16h4'],
  flag: ['M5 21V4', 'M5 4h11l-2 4 2 4H5'],
};

const NS = 'http://www.w3.org/2000/svg';

export function icon(name, cls = '') {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', ('icon ' + cls).trim());
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of PATHS[name] || []) {
    const p = document.createElementNS(NS, 'path');
    p.setAttribute('d', d);
    svg.appendChild(p);
  }
  return svg;
}

// ---------------------------------------------------------------------------------------------
// Messages shared by every screen: the error box (#error) and the toast.
//
// The error box shows the translated text for the error's code as its title, and the core's
// message (English, precise: URLs, file names, HTTP statuses) as the detail. It never touches what
// the user typed: forms and answers stay as they are.

/** Codes whose fix is in the settings: the box offers a button that opens them. */
const SETTINGS_CODES = /^(provider\.(auth|not_found|connect|rate_limited)|practice\.no_match|key\.|config\.)/;

let box = null;

function ensureBox() {
  if (box) return box;
  const host = document.getElementById('error');
  const title = h('p', { class: 'msg-title', id: 'error-title' });
  const detail = h('p', { class: 'msg-detail', id: 'error-detail', dir: 'auto' });
  const code = h('span', { class: 'msg-code', id: 'error-code' });
  const extra = h('p', { class: 'msg-extra', id: 'error-extra', hidden: true });
  const settingsBtn = h(
    'button',
    { type: 'button', class: 'btn btn-small', id: 'error-settings', onclick: () => navigate('settings') },
    h('span', { i18n: 'error.open_settings' }),
  );
  const close = h(
    'button',
    { type: 'button', class: 'icon-btn msg-close', id: 'error-close', i18nAria: 'common.close', i18nTitle: 'common.close', onclick: clearError },
    icon('close'),
  );
  host.replaceChildren(
    icon('alert', 'msg-icon'),
    h('div', { class: 'msg-body' }, title, extra, h('details', { class: 'msg-more' }, h('summary', { i18n: 'error.details' }), detail, code), h('div', { class: 'msg-actions' }, settingsBtn)),
    close,
  );
  translate(host);
  box = { host, title, detail, code, extra, settingsBtn };
  return box;
}

export function navigate(view) {
  document.dispatchEvent(new CustomEvent('katib:navigate', { detail: { view } }));
}

/**
 * Shows an error `{code, message}`. `opts.titleKey`/`opts.titleArgs` override the title,
 * `opts.extraKey` adds a sentence under it.
 */
export function showError(err, opts = {}) {
  const b = ensureBox();
  const e = err && typeof err === 'object' ? err : { code: 'internal', message: String(err) };
  setText(b.title, opts.titleKey || errorKey(e.code), opts.titleArgs);
  if (opts.extraKey) {
    setText(b.extra, opts.extraKey, opts.extraArgs);
    b.extra.hidden = false;
  } else b.extra.hidden = true;
  b.detail.textContent = e.message || '';
  b.code.textContent = e.code ? `(${e.code})` : '';
  b.settingsBtn.hidden = !SETTINGS_CODES.test(e.code || '') || document.body.dataset.view === 'settings';
  b.settingsBtn.parentElement.hidden = b.settingsBtn.hidden;
  // Long details stay folded; short ones are shown (they often say what to fix).
  const more = b.host.querySelector('.msg-more');
  more.hidden = !e.message;
  more.open = (e.message || '').length < 220;
  b.host.hidden = false;
  b.host.classList.remove('flash');
  void b.host.offsetWidth; // restart the attention animation
  b.host.classList.add('flash');
}

export function clearError() {
  const host = document.getElementById('error');
  if (host) host.hidden = true;
}

let toastTimer = null;

/** A short confirmation at the bottom of the window ("Copié", "Profil enregistré"...). */
export function toast(key, args, kind = 'ok') {
  const el = document.getElementById('toast');
  el.replaceChildren(icon(kind === 'ok' ? 'check' : 'info'), h('span', { dir: 'auto' }));
  setText(el.lastChild, key, args);
  el.className = 'toast show ' + kind;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 2600);
}

/**
 * Fills the result box `box` with "Saved: PATH" and an Open button (every export says it so);
 * `lead`: a line above it (the register number...), `openId`: the button's id.
 */
export function showSaved(box, path, { lead = null, openId = null } = {}) {
  box.replaceChildren(
    icon('check', 'ok-icon'),
    h('div', { class: 'export-text' }, lead, h('span', { i18n: 'export.saved' }), ' ', h('code', { class: 'export-path', dir: 'ltr', text: path })),
    h('button', { type: 'button', class: 'btn btn-small', id: openId, onclick: () => openPath(path).catch(showError) }, icon('open', 'flip-rtl'), h('span', { i18n: 'export.open' })),
  );
  translate(box);
  box.hidden = false;
}
