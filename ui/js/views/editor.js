// The template editor: a template's text with its syntax highlighted (variables, conditions,
// loops), the explanation of the piece under the caret or the pointer, the first error with its
// line as one types, the template's fields as a form (editor/fields.js), and a live preview of the
// rendered prompt on the template's sample or on values typed (editor/inputs.js); save as a user
// template, duplicate a built-in one, reset to the built-in one.
//
// Deliberately not here: parsing and rendering templates (katib-workshop's editor, through
// `editor_update`, at most one call in flight and only the latest answer shown; a keystroke in
// the body is previewed at once by the same rendering code running in the page, editor/preview.js,
// and the shell's answer then replaces it). The highlight is a layer of lines of spans under a
// transparent-background textarea, built with text nodes only and patched line by line
// (editor/lines.js).

import * as api from '../api.js';
import { h, icon, basename, showError, clearError, toast } from '../dom.js';
import { t, lang, setText, translate, onLangChange } from '../i18n.js';
import { patchHighlight, patchText } from './editor/lines.js';
import { fieldsPanel } from './editor/fields.js';
import { inputsPanel } from './editor/inputs.js';
import * as inPage from './editor/preview.js';

let root = null;
let el = {};
/** {id, builtin, mine, text, analysis, preview} of the open template. */
let st = null;
let seq = 0;
let shown = 0;
let busy = false;
let dirty = false;
/** The update whose context the page holds (answers can come out of order). */
let contextOf = 0;
/** The in-page preview last shown, `{text, r}`: checked against the shell's answer for that text. */
let quick = null;
let quickShown = 0;
let quickDiffers = 0;

function loc(x) {
  if (x == null) return '';
  if (typeof x === 'string') return x;
  return x[lang()] || x.fr || '';
}

export function init(container) {
  root = container;
  // Once the module is there, the shell is asked for the context it needs (the answer to an
  // update sent before carried none it could take).
  inPage.load().then(() => {
    if (st && !busy && !inPage.held()) update();
  });
  build();
  onLangChange(() => {
    if (!root.hidden) {
      fillList();
      if (st) {
        paint();
        if (st.analysis) {
          el.fields.render(st.fields);
          el.inputs.render(st.fields);
        }
      }
    }
  });
}

function build() {
  el.select = h('select', { id: 'ed-template', class: 'sample-select', i18nAria: 'ed.pick' });
  el.select.addEventListener('change', () => openTemplate(el.select.value));
  el.text = h('textarea', { id: 'ed-text', class: 'ed-text', spellcheck: 'false', wrap: 'off', dir: 'ltr', i18nAria: 'ed.text' });
  el.hl = h('div', { class: 'ed-hl', id: 'ed-hl', 'aria-hidden': 'true' });
  el.text.addEventListener('input', () => {
    st.text = el.text.value;
    previewInPage();
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
  el.system = h('div', { class: 'prompt-text ws-pre', id: 'ed-preview-system', dir: 'auto' });
  el.user = h('div', { class: 'prompt-text ws-pre', id: 'ed-preview-user', dir: 'auto' });
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
  el.fields = fieldsPanel({ text: () => st.text, setText: takeText });
  el.inputs = inputsPanel(() => schedule());
  // The text, or its fields as a form: two views of the same template.
  const tab = (key, id, panel) => {
    const b = h('button', { type: 'button', role: 'tab', class: 'ed-tab', id, 'aria-controls': panel, i18n: key });
    b.addEventListener('click', () => showTab(id === 'ed-tab-fields' ? 'fields' : 'text'));
    return b;
  };
  el.tabText = tab('ed.tab_text', 'ed-tab-text', 'ed-pane-text');
  el.tabFields = tab('ed.tab_fields', 'ed-tab-fields', 'ed-pane-fields');
  el.paneText = h('div', { id: 'ed-pane-text', role: 'tabpanel', 'aria-labelledby': 'ed-tab-text' }, h('div', { class: 'ed-stack' }, el.hl, el.text), el.error, el.explain, h('h2', { class: 'ws-h3', i18n: 'ed.tokens' }), el.tokens);
  el.paneFields = h('div', { id: 'ed-pane-fields', role: 'tabpanel', 'aria-labelledby': 'ed-tab-fields', hidden: true }, el.fields.el);
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
        h('div', { class: 'ed-col' }, h('div', { class: 'ed-tabs', role: 'tablist', i18nAria: 'ed.tabs' }, el.tabText, el.tabFields), el.paneText, el.paneFields),
        h('div', { class: 'ed-col' }, h('h2', { class: 'ws-h3', i18n: 'ed.preview' }), el.inputs.el, h('details', { class: 'ws-system' }, h('summary', { i18n: 'ws.prompt_system' }), el.system), el.user),
      ),
    ),
  );
  translate(root);
  showTab('text');
}

function showTab(which) {
  const fields = which === 'fields';
  el.paneText.hidden = fields;
  el.paneFields.hidden = !fields;
  el.tabText.setAttribute('aria-selected', String(!fields));
  el.tabFields.setAttribute('aria-selected', String(fields));
  // The error stays in sight on the fields' side too: a field can break the template.
  (fields ? el.paneFields : el.paneText).insertBefore(el.error, fields ? el.paneFields.firstChild : el.explain);
}

/** A new text from the fields' form: the editor takes it as if it had been typed. */
function takeText(text) {
  if (!st || text === st.text) return;
  st.text = text;
  el.text.value = text;
  schedule();
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
    ...list.map((x) => h('option', { value: x.id, text: `${x.title} (${x.id})${x.builtin ? '' : ' · ' + t(!x.mine ? 'ed.pack' : x.overridesBuiltin ? 'ed.user_over' : 'ed.user')}` })),
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
  st = { id: r.id, builtin: r.builtin, mine: r.mine, text: r.text, path: r.path, analysis: null, preview: null };
  el.select.value = r.id;
  el.text.value = r.text;
  el.newId.value = r.id + '-copie';
  el.reset.hidden = !r.mine;
  setText(el.status, r.builtin ? 'ed.builtin' : r.mine ? 'ed.user_file' : 'ed.pack_file', { file: basename(r.path) });
  paintHighlight([]);
  await update();
}

/** At most one call in flight: a keystroke while none is goes at once (waiting for the next
 * frame would cost up to 16 ms of the preview's budget); keystrokes during a call are sent as one,
 * the latest text, when it returns. */
function schedule() {
  if (busy) {
    dirty = true;
    return;
  }
  update();
}

async function update() {
  const mine = ++seq;
  const text = st.text;
  busy = true;
  dirty = false;
  let r;
  try {
    r = await api.editorUpdate(text, currentInputs(), inPage.held());
  } catch (e) {
    busy = false;
    showError(e);
    return;
  }
  busy = false;
  // The context serves whatever was typed since, as long as the text before the body is the
  // same (the module checks): taken even from an answer that is stale, so that fast typing is
  // previewed in the page from the first answer on.
  if (mine > contextOf) {
    contextOf = mine;
    inPage.setContext(r.preview.context);
    root.dataset.inPage = inPage.ready() ? 'ready' : '';
  }
  if (dirty) {
    // Typed meanwhile: this answer is already stale, the next one is on its way.
    update();
    return;
  }
  // Answers can arrive out of order: only the latest is shown.
  if (mine < shown || !st || st.text !== text) return;
  shown = mine;
  st.analysis = r.analysis;
  st.preview = r.preview;
  st.fields = r.fields;
  compareQuick(text, r.preview);
  paint();
  el.fields.render(r.fields);
  el.inputs.render(r.fields);
  root.dataset.updated = String(mine);
  root.dataset.micros = String(r.micros);
}

/** The body's preview computed in the page, shown until the shell's answer comes. */
function previewInPage() {
  const r = inPage.render(st.text);
  if (!r) return;
  quick = { text: st.text, r };
  paintError(r.ok ? null : r.error);
  if (r.ok) {
    patchText(el.user, r.user);
    el.user.classList.remove('stale');
  } else el.user.classList.add('stale');
  root.dataset.quick = String(++quickShown);
}

/** The shell's preview of the text the page previewed must say the same: a difference is a bug
 * (counted for the tests, and told in the console). */
function compareQuick(text, p) {
  if (!quick || quick.text !== text) return;
  const q = quick.r;
  quick = null;
  const same = q.ok ? p.ok && q.user === p.user : !p.ok && p.error && q.error.line === p.error.line && q.error.message === p.error.message;
  if (!same) {
    root.dataset.quickDiffers = String(++quickDiffers);
    console.warn('in-page preview differs from the shell\'s', q, p);
  }
}

function currentInputs() {
  return el.inputs.inputs();
}

function paint() {
  const a = st.analysis;
  const p = st.preview;
  if (!a) return;
  paintHighlight(a.tokens);
  paintError(a.error || (p && p.error));
  if (p && p.ok) {
    patchText(el.system, p.system);
    patchText(el.user, p.user);
    el.user.classList.remove('stale');
  } else el.user.classList.add('stale');
  // The list changes only when a token does (not at each letter typed between two).
  const sig = a.tokens.map((k) => k.kind + k.line + k.text + loc(k.explain)).join('\u0001') + lang();
  if (sig !== el.tokens._sig) {
    el.tokens._sig = sig;
    el.tokens.replaceChildren(
      ...a.tokens
        .map((k, i) => [k, i])
        .filter(([k]) => k.kind !== 'comment')
        .slice(0, 200)
        .map(([k, i]) =>
          h(
            'button',
            // The token as of the latest analysis: the list is kept while offsets move.
            { type: 'button', class: 'ed-token tok-' + k.kind, title: loc(k.explain), dataset: { line: k.line }, onclick: () => select(st.analysis.tokens[i]) },
            h('span', { class: 'ed-token-line', text: t('ed.line', { n: k.line }) }),
            h('code', { text: k.text.length > 60 ? k.text.slice(0, 57) + '…' : k.text }),
          ),
        ),
    );
  }
  explainCaret();
}

function paintError(err) {
  if (err) {
    el.error.replaceChildren(icon('alert'), h('span', { dir: 'auto', text: t('ed.error_line', { line: err.line, message: err.message }) }));
    el.error.dataset.line = String(err.line);
    el.error.hidden = false;
  } else {
    el.error.hidden = true;
    delete el.error.dataset.line;
  }
}

/** The text as lines of spans, each token coloured by kind (transparent letters over the
 * textarea's own); only the lines that changed are replaced. */
function paintHighlight(tokens) {
  patchHighlight(el.hl, el.text.value, tokens);
  // Read at the next frame, when layout happens anyway: reading it now would force one.
  requestAnimationFrame(() => {
    el.hl.scrollTop = el.text.scrollTop;
    el.hl.scrollLeft = el.text.scrollLeft;
  });
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
  const path = await api.editorSave(st.text, st.mine);
  toast('ed.saved', { file: basename(path) });
  await fillList();
  const id = st.analysis && st.analysis.id ? st.analysis.id : st.id;
  await openTemplate(id);
}

async function duplicate() {
  const newId = el.newId.value.trim();
  if (!newId) return;
  const text = await api.editorDuplicate(st.id, newId);
  st = { id: newId, builtin: false, mine: false, text, path: '', analysis: null, preview: null };
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
