// The template editor: a template's text with its syntax highlighted (variables, conditions,
// loops), the explanation of the piece under the caret or the pointer, the first error with its
// line as one types, and a live preview of the rendered prompt on the template's sample; save as a
// user template, duplicate a built-in one, reset to the built-in one.
//
// Deliberately not here: parsing and rendering templates (katib-workshop's editor, through
// `editor_update`, at most one call per animation frame and only the latest answer shown). The
// highlight is a layer of spans under a transparent-background textarea, built with text nodes
// only.

import * as api from '../api.js';
import { h, icon, basename, showError, clearError, toast } from '../dom.js';
import { t, lang, setText, translate, onLangChange } from '../i18n.js';

let root = null;
let el = {};
/** {id, builtin, text, analysis, preview} of the open template. */
let st = null;
let seq = 0;
let shown = 0;
let frame = 0;

function loc(x) {
  if (x == null) return '';
  if (typeof x === 'string') return x;
  return x[lang()] || x.fr || '';
}

export function init(container) {
  root = container;
  build();
  onLangChange(() => {
    if (!root.hidden) {
      fillList();
      if (st) paint();
    }
  });
}

function build() {
  el.select = h('select', { id: 'ed-template', class: 'sample-select', i18nAria: 'ed.pick' });
  el.select.addEventListener('change', () => openTemplate(el.select.value));
  el.text = h('textarea', { id: 'ed-text', class: 'ed-text', spellcheck: 'false', wrap: 'off', dir: 'ltr', i18nAria: 'ed.text' });
  el.hl = h('pre', { class: 'ed-hl', id: 'ed-hl', 'aria-hidden': 'true' });
  el.text.addEventListener('input', () => {
    st.text = el.text.value;
    schedule();
  });
  el.text.addEventListener('scroll', () => {
    el.hl.scrollTop = el.text.scrollTop;
    el.hl.scrollLeft = el.text.scrollLeft;
  });
  for (const ev of ['keyup', 'click', 'focus', 'select']) el.text.addEventListener(ev, explainCaret);
  el.explain = h('p', { class: 'ed-explain', id: 'ed-explain', 'aria-live': 'polite' });
  el.error = h('p', { class: 'notice notice-warn ed-error', id: 'ed-error', role: 'status', hidden: true });
  el.tokens = h('div', { class: 'ed-tokens', id: 'ed-tokens' });
  el.system = h('pre', { class: 'prompt-text ws-pre', id: 'ed-preview-system', dir: 'auto' });
  el.user = h('pre', { class: 'prompt-text ws-pre', id: 'ed-preview-user', dir: 'auto' });
  el.status = h('p', { class: 'ed-status', id: 'ed-status' });
  el.newId = h('input', { type: 'text', id: 'ed-new-id', class: 'ws-input ws-input-short', autocomplete: 'off', spellcheck: 'false', i18nPlaceholder: 'ed.new_id' });
  const btn = (id, key, ic, fn, cls = '') => {
    const b = h('button', { type: 'button', class: 'btn btn-small ' + cls, id }, icon(ic), h('span', { i18n: key }));
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await fn();
      } catch (e) {
        showError(e);
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  el.save = btn('ed-save', 'ed.save', 'check', save, 'btn-primary');
  el.duplicate = btn('ed-duplicate', 'ed.duplicate', 'copy', duplicate);
  el.reset = btn('ed-reset', 'ed.reset', 'refresh', reset, 'btn-danger-text');
  root.replaceChildren(
    h(
      'div',
      { class: 'ed-inner' },
      h('div', { class: 'ed-head' }, h('h1', { class: 'page-title', i18n: 'ed.title' }), h('p', { class: 'home-lead', i18n: 'ed.lead' })),
      h('div', { class: 'ws-row ed-bar' }, el.select, el.save, el.newId, el.duplicate, el.reset, el.status),
      h(
        'div',
        { class: 'ed-grid' },
        h('div', { class: 'ed-col' }, h('div', { class: 'ed-stack' }, el.hl, el.text), el.error, el.explain, h('h2', { class: 'ws-h3', i18n: 'ed.tokens' }), el.tokens),
        h('div', { class: 'ed-col' }, h('h2', { class: 'ws-h3', i18n: 'ed.preview' }), h('details', { class: 'ws-system' }, h('summary', { i18n: 'ws.prompt_system' }), el.system), el.user),
      ),
    ),
  );
  translate(root);
}

let list = [];

async function fillList() {
  try {
    list = await api.editorList(lang());
  } catch (e) {
    showError(e);
    return;
  }
  const keep = st ? st.id : null;
  el.select.replaceChildren(
    ...list.map((x) => h('option', { value: x.id, text: `${x.title} (${x.id})${x.builtin ? '' : ' · ' + t(x.overridesBuiltin ? 'ed.user_over' : 'ed.user')}` })),
  );
  if (keep) el.select.value = keep;
}

/** Called when the screen is shown; `id` opens that template. */
export async function enter(id) {
  await fillList();
  const want = id || (st && st.id) || (list[0] && list[0].id);
  if (want && (!st || st.id !== want)) await openTemplate(want);
  else if (st) paint();
}

async function openTemplate(id) {
  let r;
  try {
    r = await api.editorOpen(id);
  } catch (e) {
    showError(e);
    return;
  }
  clearError();
  st = { id: r.id, builtin: r.builtin, text: r.text, path: r.path, analysis: null, preview: null };
  el.select.value = r.id;
  el.text.value = r.text;
  el.newId.value = r.id + '-copie';
  el.reset.hidden = r.builtin;
  setText(el.status, r.builtin ? 'ed.builtin' : 'ed.user_file', { file: basename(r.path) });
  paintHighlight([]);
  await update();
}

/** One update per animation frame, whatever the typing speed. */
function schedule() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    update();
  });
}

async function update() {
  const mine = ++seq;
  const text = st.text;
  let r;
  try {
    r = await api.editorUpdate(text, null);
  } catch (e) {
    showError(e);
    return;
  }
  // Answers can arrive out of order: only the latest is shown.
  if (mine < shown || !st || st.text !== text) return;
  shown = mine;
  st.analysis = r.analysis;
  st.preview = r.preview;
  paint();
  root.dataset.updated = String(mine);
}

function paint() {
  const a = st.analysis;
  const p = st.preview;
  if (!a) return;
  paintHighlight(a.tokens);
  const err = a.error || (p && p.error);
  if (err) {
    el.error.replaceChildren(icon('alert'), h('span', { dir: 'auto', text: t('ed.error_line', { line: err.line, message: err.message }) }));
    el.error.dataset.line = String(err.line);
    el.error.hidden = false;
  } else {
    el.error.hidden = true;
    delete el.error.dataset.line;
  }
  if (p && p.ok) {
    el.system.textContent = p.system;
    el.user.textContent = p.user;
    el.user.classList.remove('stale');
  } else el.user.classList.add('stale');
  el.tokens.replaceChildren(
    ...a.tokens
      .filter((k) => k.kind !== 'comment')
      .slice(0, 200)
      .map((k) =>
        h(
          'button',
          { type: 'button', class: 'ed-token tok-' + k.kind, title: loc(k.explain), dataset: { line: k.line }, onclick: () => select(k) },
          h('span', { class: 'ed-token-line', text: t('ed.line', { n: k.line }) }),
          h('code', { text: k.text.length > 60 ? k.text.slice(0, 57) + '…' : k.text }),
        ),
      ),
  );
  explainCaret();
}

/** The text as spans: each token coloured by kind, the rest as plain text (transparent over the
 * textarea's own letters). */
function paintHighlight(tokens) {
  const text = el.text.value;
  const out = [];
  let at = 0;
  for (const k of tokens) {
    if (k.start16 < at) continue;
    if (k.start16 > at) out.push(document.createTextNode(text.slice(at, k.start16)));
    out.push(h('span', { class: 'tok tok-' + k.kind, text: text.slice(k.start16, k.end16) }));
    at = k.end16;
  }
  out.push(document.createTextNode(text.slice(at) + '\n'));
  el.hl.replaceChildren(...out);
  el.hl.scrollTop = el.text.scrollTop;
}

function tokenAt(pos) {
  const a = st && st.analysis;
  if (!a) return null;
  return a.tokens.find((k) => pos >= k.start16 && pos <= k.end16) || null;
}

function explainCaret() {
  const k = tokenAt(el.text.selectionStart);
  if (k) {
    el.explain.replaceChildren(h('code', { text: k.text }), h('span', { dir: 'auto', text: ' ' + loc(k.explain) }));
    el.explain.hidden = false;
  } else {
    el.explain.replaceChildren(h('span', { i18n: 'ed.explain_hint' }));
    translate(el.explain);
  }
}

function select(k) {
  el.text.focus();
  el.text.setSelectionRange(k.start16, k.end16);
  explainCaret();
}

async function save() {
  const path = await api.editorSave(st.text, !st.builtin);
  toast('ed.saved', { file: basename(path) });
  await fillList();
  const id = st.analysis && st.analysis.id ? st.analysis.id : st.id;
  await openTemplate(id);
}

async function duplicate() {
  const newId = el.newId.value.trim();
  if (!newId) return;
  const text = await api.editorDuplicate(st.id, newId);
  st = { id: newId, builtin: false, text, path: '', analysis: null, preview: null };
  el.text.value = text;
  el.reset.hidden = true;
  setText(el.status, 'ed.unsaved', { id: newId });
  await update();
}

async function reset() {
  const r = await api.editorReset(st.id);
  toast(r.builtin ? 'ed.reset_done' : 'ed.removed', { id: st.id });
  await fillList();
  if (r.builtin) await openTemplate(st.id);
  else if (list[0]) await openTemplate(list[0].id);
}
