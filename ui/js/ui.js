// Messages shared by every screen: the error box (#error), the notice line and the toast.
//
// The error box shows the translated text for the error's code as its title, and the core's
// message (English, precise: URLs, file names, HTTP statuses) as the detail. It never touches what
// the user typed: forms and answers stay as they are.

import { h } from './dom.js';
import { icon } from './icons.js';
import { setText, errorKey, translate } from './i18n.js';

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
