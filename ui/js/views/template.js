// The template screen: the form generated from the template's fields, the sample loader, the live
// prompt, generation (streamed), the answer editor with its preview, exports, and autosave.
//
// What the user typed and what the model wrote are never thrown away: errors leave the form and
// the answer as they are, a cut stream keeps its partial text, and every change is saved as the
// draft (debounced) so that closing or killing the app loses nothing.

import * as api from '../api.js';
import { h, icon, debounce, basename, reveal, showError, clearError, toast } from '../dom.js';
import { t, lang, locale, setText, translate, errorKey, noticeKey, num, seconds, onLangChange } from '../i18n.js';
import { renderMarkdown } from '../markdown.js';

const EXT = {
  sheet: ['xlsx', 'xls', 'ods', 'csv'],
  document: ['docx', 'pdf', 'txt', 'md'],
};

/** Where the screen lives (#template-view). */
let root = null;
/** The open template: {id, tpl, files, answer, partial, ...}; null on other screens' first run. */
let st = null;
/** Inputs and answers of the templates opened in this session, by id (switching back restores). */
const session = new Map();
/** Elements of the screen. */
let el = {};

export function init(container) {
  root = container;
  onLangChange(() => {
    if (st && !root.hidden) relang();
  });
  document.addEventListener('keydown', onKey);
  // Last chance to save when the window goes away.
  window.addEventListener('pagehide', () => saveNow());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && saveNow());
}

/** Id and title of the open template, for the home screen's "resume" card. */
export function current() {
  return st ? { id: st.id, title: st.tpl.title, hasAnswer: !!st.answer } : null;
}

export function isGenerating() {
  return !!(st && st.generating);
}

// ---------------------------------------------------------------------------------------------
// Opening

/**
 * Opens template `id`. `restore` = {values, files, answer} (a draft) fills it; else the inputs of
 * this session, else the defaults. Resolves false when the template cannot be loaded.
 */
export async function open(id, restore) {
  if (st && st.generating && st.id !== id) {
    toast('generate.busy', null, 'info');
    return st.id === id;
  }
  let tpl;
  try {
    tpl = await api.getTemplate(id, lang());
  } catch (e) {
    showError(e);
    return false;
  }
  if (st && st.id !== id) stash();
  if (st && st.id === id) {
    // Already open (e.g. back from settings): keep everything, in the current language.
    if (restore) applyRestore(restore);
    if (st.lang !== lang()) await relang();
    return true;
  }
  const saved = restore || session.get(id) || null;
  st = {
    id,
    tpl,
    lang: lang(),
    files: {},
    answer: saved ? saved.answer || '' : '',
    partial: saved ? !!saved.partial : false,
    // The model that wrote the answer (from the last generation), for the export; null unknown.
    model: saved ? saved.model || null : null,
    generating: false,
    deltas: 0,
    started: 0,
    result: null,
    stats: null,
    previous: null,
    promptSeq: 0,
    dirty: false,
  };
  build();
  fillForm(saved ? saved.values || {} : null, saved ? saved.files || {} : {}, saved ? 'default' : null);
  setAnswerState(st.answer ? 'ready' : 'empty');
  el.editor.value = st.answer;
  paintNow();
  updateButtons();
  updatePartial();
  return true;
}

function applyRestore(r) {
  fillForm(r.values || {}, r.files || {}, 'default');
  st.answer = r.answer || '';
  st.model = r.model || null;
  el.editor.value = st.answer;
  setAnswerState(st.answer ? 'ready' : 'empty');
  paintNow();
  updateButtons();
}

function stash() {
  if (!st) return;
  session.set(st.id, { values: formValues(), files: { ...st.files }, answer: st.answer, partial: st.partial, model: st.model });
}

// ---------------------------------------------------------------------------------------------
// Building the screen

function build() {
  const tpl = st.tpl;
  el = {};
  el.title = h('h1', { class: 'tpl-title', id: 'template-title', dir: 'auto', text: tpl.title });
  el.desc = h('p', { class: 'tpl-desc', dir: 'auto', text: tpl.description });
  el.autosave = h('span', { class: 'autosave', id: 'autosave-status', 'aria-live': 'polite' });
  // Every template with a letter's frame (letter, note, act) can be merged with a sheet.
  el.merge = ['letter', 'note', 'act'].includes(tpl.output)
    ? h(
        'button',
        { type: 'button', class: 'btn', id: 'open-merge', i18nTitle: 'template.merge_hint', onclick: () => document.dispatchEvent(new CustomEvent('katib:navigate', { detail: { view: 'merge', template: st.tpl } })) },
        icon('sheet'),
        h('span', { i18n: 'template.merge' }),
      )
    : null;

  const back = h(
    'button',
    { type: 'button', class: 'btn btn-ghost back-btn', id: 'back-home', onclick: () => document.dispatchEvent(new CustomEvent('katib:navigate', { detail: { view: 'home' } })) },
    icon('back', 'flip-rtl'),
    h('span', { i18n: 'template.back' }),
  );

  // Form column
  el.form = h('form', { id: 'template-form', class: 'tpl-form', novalidate: true, dataset: { template: tpl.id }, onsubmit: (e) => { e.preventDefault(); startGenerate(); } });
  el.fields = h('div', { class: 'fields' });
  el.form.append(el.fields, h('p', { class: 'required-note' }, h('span', { class: 'req', 'aria-hidden': 'true', text: '*' }), ' ', h('span', { i18n: 'form.required_note' })));
  el.form.addEventListener('input', onFormInput);
  el.form.addEventListener('change', onFormInput);

  el.sampleBar = h('div', { class: 'sample-bar' });
  buildSampleBar();
  buildFields();

  el.promptSystem = h('pre', { id: 'prompt-system', class: 'prompt-text', dir: 'auto' });
  el.promptUser = h('pre', { id: 'prompt-user', class: 'prompt-text', dir: 'auto' });
  el.promptError = h('div', { class: 'prompt-error', id: 'prompt-error', hidden: true, role: 'status' });
  el.promptMeta = h('p', { class: 'prompt-meta', id: 'prompt-meta' });
  el.promptContent = h(
    'div',
    { class: 'prompt-content' },
    h('h3', { class: 'prompt-h', i18n: 'prompt.system' }),
    el.promptSystem,
    h('h3', { class: 'prompt-h', i18n: 'prompt.user' }),
    el.promptUser,
  );
  el.prompt = h(
    'details',
    { id: 'prompt-panel', class: 'prompt-panel' },
    h('summary', { class: 'prompt-summary' }, icon('eye'), h('span', { i18n: 'prompt.show' }), h('span', { class: 'summary-hint', i18n: 'prompt.hint' })),
    h('div', { class: 'prompt-body' }, el.promptMeta, el.promptError, el.promptContent),
  );
  el.prompt.addEventListener('toggle', () => {
    if (!el.prompt.open) return;
    renderPromptNow();
    requestAnimationFrame(() => reveal(el.prompt.querySelector('.prompt-body')));
  });

  const formCol = h(
    'div',
    { class: 'tpl-form-col', id: 'form-column' },
    h('div', { class: 'col-head' }, h('h2', { class: 'col-title', i18n: 'form.title' }), el.sampleBar),
    el.form,
    el.prompt,
  );

  // Answer column
  el.generate = h('button', { type: 'button', class: 'btn btn-primary', id: 'generate', onclick: startGenerate }, icon('play', 'flip-rtl'), h('span', { i18n: 'generate.generate' }));
  el.stop = h('button', { type: 'button', class: 'btn btn-danger', id: 'stop', hidden: true, onclick: stopGenerate }, icon('stop'), h('span', { i18n: 'generate.stop' }));
  el.regenerate = h('button', { type: 'button', class: 'btn', id: 'regenerate', hidden: true, onclick: startGenerate }, icon('refresh'), h('span', { i18n: 'generate.regenerate' }));
  el.restore = h('button', { type: 'button', class: 'btn btn-ghost btn-small', id: 'restore-previous', hidden: true, onclick: restorePrevious }, h('span', { i18n: 'generate.restore_previous' }));
  el.stats = h('span', { class: 'gen-stats', id: 'gen-stats', 'aria-live': 'off' });
  el.hint = h('span', { class: 'kbd-hint', i18n: 'generate.shortcut' });
  const actions = h(
    'div',
    { class: 'action-bar', role: 'toolbar', i18nAria: 'generate.toolbar' },
    el.generate,
    el.stop,
    el.regenerate,
    el.restore,
    el.hint,
    h('span', { class: 'spacer' }),
    el.stats,
  );

  el.notice = h('div', { class: 'notice', id: 'notice', hidden: true, role: 'status' });
  el.partialNote = h('div', { class: 'notice notice-warn', id: 'partial-note', hidden: true, role: 'status' }, icon('alert'), h('span', { i18n: 'answer.partial' }));

  el.tabPreview = h('button', { type: 'button', role: 'tab', class: 'tab', id: 'tab-preview', 'aria-controls': 'preview-pane', onclick: () => setTab('preview') }, h('span', { i18n: 'answer.tab_preview' }));
  el.tabEdit = h('button', { type: 'button', role: 'tab', class: 'tab', id: 'tab-edit', 'aria-controls': 'editor-pane', onclick: () => setTab('edit') }, h('span', { i18n: 'answer.tab_edit' }));
  const tabs = h('div', { class: 'answer-tabs', role: 'tablist', i18nAria: 'answer.title' }, el.tabPreview, el.tabEdit);
  tabs.addEventListener('keydown', (e) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    const next = el.area.dataset.tab === 'preview' ? 'edit' : 'preview';
    setTab(e.key === 'Home' ? 'preview' : e.key === 'End' ? 'edit' : next);
    (el.area.dataset.tab === 'preview' ? el.tabPreview : el.tabEdit).focus();
  });

  el.editor = h('textarea', { id: 'answer-editor', class: 'answer-editor', dir: 'auto', spellcheck: 'true', 'aria-labelledby': 'editor-label' });
  el.editor.addEventListener('input', onEditorInput);
  el.preview = h('div', { id: 'answer-preview', class: 'markdown answer-preview', 'aria-labelledby': 'preview-label', tabindex: '0' });
  el.preview.addEventListener('click', onPreviewClick);
  el.empty = h(
    'div',
    { class: 'answer-empty', id: 'answer-empty' },
    icon('pen', 'empty-icon'),
    h('p', { class: 'empty-title', i18n: 'answer.empty_title' }),
    h('p', { class: 'empty-text', i18n: 'answer.empty_text' }),
  );
  el.editorPane = h(
    'div',
    { class: 'pane editor-pane', id: 'editor-pane', role: 'tabpanel' },
    h('label', { class: 'pane-label', id: 'editor-label', for: 'answer-editor' }, icon('edit'), h('span', { i18n: 'answer.editor_label' })),
    el.editor,
  );
  el.previewPane = h(
    'div',
    { class: 'pane preview-pane', id: 'preview-pane', role: 'tabpanel' },
    h('div', { class: 'pane-label', id: 'preview-label' }, icon('eye'), h('span', { i18n: 'answer.preview_label' })),
    el.preview,
    el.empty,
  );
  el.area = h('div', { class: 'answer-area', id: 'answer-area', dataset: { state: 'empty', tab: 'preview' } }, tabs, h('div', { class: 'answer-panes' }, el.editorPane, el.previewPane));

  el.copy = h('button', { type: 'button', class: 'btn', id: 'copy-answer', onclick: copyAnswer }, icon('copy'), h('span', { i18n: 'answer.copy' }));
  el.exportDocx = h('button', { type: 'button', class: 'btn btn-accent', id: 'export-docx', onclick: () => doExport('docx') }, icon('download'), h('span', { i18n: 'export.docx' }));
  el.exportMd = h('button', { type: 'button', class: 'btn', id: 'export-md', onclick: () => doExport('md') }, icon('download'), h('span', { i18n: 'export.md' }));
  el.exportXlsx = h('button', { type: 'button', class: 'btn', id: 'export-xlsx', i18nTitle: 'export.xlsx_hint', onclick: () => doExport('xlsx') }, icon('sheet'), h('span', { i18n: 'export.xlsx' }));
  el.exportResult = h('div', { class: 'export-result', id: 'export-result', hidden: true, role: 'status' });
  const exportBar = h('div', { class: 'export-bar' }, el.copy, h('span', { class: 'spacer' }), el.exportMd, el.exportXlsx, el.exportDocx);

  const answerCol = h(
    'div',
    { class: 'tpl-answer-col', id: 'answer-column' },
    actions,
    el.notice,
    el.partialNote,
    el.area,
    exportBar,
    el.exportResult,
  );

  root.replaceChildren(
    h(
      'div',
      { class: 'tpl-head' },
      back,
      h('div', { class: 'tpl-head-text' }, h('div', { class: 'tpl-head-line' }, el.title, h('span', { class: 'chip', text: categoryLabel(tpl) })), el.desc),
      el.autosave,
      el.merge,
    ),
    h('div', { class: 'tpl-body' }, formCol, answerCol),
  );
  translate(root);
  setTab('preview');
}

function categoryLabel(tpl) {
  return t('category.' + tpl.category);
}

function buildSampleBar() {
  // The default sample first; the one named after the UI language (e.g. "ar") preselected.
  const samples = [...(st.tpl.samples || [])].sort((a, b) => (a.name == null ? -1 : b.name == null ? 1 : 0));
  el.sampleBar.replaceChildren();
  el.sampleSelect = null;
  if (!samples.length) {
    el.sampleBar.hidden = true;
    return;
  }
  el.sampleBar.hidden = false;
  if (samples.length > 1) {
    el.sampleSelect = h('select', { id: 'sample-select', class: 'sample-select', i18nAria: 'sample.choose', i18nTitle: 'sample.choose' });
    const preferred = samples.some((s) => s.name === lang()) ? lang() : null;
    for (const s of samples) {
      el.sampleSelect.appendChild(h('option', { value: s.name ?? '', text: s.title || (s.name ? t('sample.named', { name: s.name }) : t('sample.default')), selected: (s.name ?? null) === preferred }));
    }
  }
  el.loadSample = h('button', { type: 'button', class: 'btn btn-small', id: 'load-sample', onclick: loadSample }, icon('file'), h('span', { i18n: 'sample.load' }));
  el.sampleBar.append(...(el.sampleSelect ? [el.sampleSelect] : []), el.loadSample);
  translate(el.sampleBar);
}

function buildFields() {
  el.fields.replaceChildren();
  el.controls = {};
  for (const f of st.tpl.fields) el.fields.appendChild(buildField(f));
}

function buildField(f) {
  const id = 'field-' + f.name;
  const helpId = id + '-help';
  const errId = id + '-error';
  const described = [f.help ? helpId : null, errId].filter(Boolean).join(' ');
  let control;
  let body;

  const label = h(
    'label',
    { class: 'field-label', for: id, id: id + '-label' },
    h('span', { dir: 'auto', text: f.label }),
    f.required ? h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null,
    f.required ? h('span', { class: 'sr-only', i18n: 'form.required' }) : null,
  );

  switch (f.type) {
    case 'textarea':
      control = h('textarea', { id, name: f.name, rows: textareaRows(f), dir: 'auto', 'aria-describedby': described, required: !!f.required });
      body = control;
      break;
    case 'select': {
      control = h('select', { id, name: f.name, 'aria-describedby': described, required: !!f.required });
      if (!f.required && (f.default == null || f.default === '')) control.appendChild(h('option', { value: '', i18n: 'form.select_none' }));
      for (const o of f.options || []) control.appendChild(h('option', { value: o.value, dir: 'auto', text: o.label }));
      body = control;
      break;
    }
    case 'date':
      control = h('input', { id, name: f.name, type: 'date', 'aria-describedby': described, required: !!f.required });
      body = control;
      break;
    case 'number':
      control = h('input', { id, name: f.name, type: 'number', step: 'any', inputmode: 'decimal', 'aria-describedby': described, required: !!f.required });
      body = control;
      break;
    case 'file':
      ({ control, body } = buildFileField(f, id, described));
      break;
    default:
      control = h('input', { id, name: f.name, type: 'text', dir: 'auto', autocomplete: 'off', 'aria-describedby': described, required: !!f.required });
      body = control;
  }
  el.controls[f.name] = control;
  return h(
    'div',
    { class: 'field field-' + f.type, dataset: { field: f.name, type: f.type } },
    label,
    body,
    f.help ? h('p', { class: 'help', id: helpId, dir: 'auto', text: f.help }) : null,
    h('p', { class: 'field-error', id: errId, hidden: true, role: 'alert' }),
  );
}

function textareaRows(f) {
  // The long inputs (pasted letters, texts to translate, points of reply) get more room.
  return /texte|elements|contenu|points|consignes|demande/.test(f.name) ? 6 : 3;
}

function buildFileField(f, id, described) {
  const hidden = h('input', { type: 'hidden', name: f.name, id: id + '-path', value: '' });
  const name = h('span', { class: 'file-name', id: id + '-name', dir: 'auto' });
  const kinds = (f.accept || []).length ? f.accept : ['sheet', 'document'];
  const hint = h('span', { class: 'file-hint', i18n: 'file.accepts', i18nArgs: { exts: '\u2066' + kinds.flatMap((k) => EXT[k] || []).map((x) => '.' + x).join(' ') + '\u2069' } });
  const choose = h('button', { type: 'button', class: 'btn btn-small', id, 'aria-describedby': described, onclick: () => chooseFile(f) }, icon('upload'), h('span', { i18n: 'file.choose' }));
  const clear = h('button', { type: 'button', class: 'icon-btn file-clear', hidden: true, i18nAria: 'file.remove', i18nTitle: 'file.remove', onclick: () => setFile(f.name, null) }, icon('close'));
  const zone = h(
    'div',
    { class: 'dropzone', dataset: { field: f.name } },
    icon(kinds.includes('sheet') && !kinds.includes('document') ? 'sheet' : 'file', 'dz-icon'),
    h('div', { class: 'dz-text' }, name, hint),
    h('div', { class: 'dz-actions' }, choose, clear),
    hidden,
  );
  return { control: hidden, body: zone };
}

// ---------------------------------------------------------------------------------------------
// Values

/** Every non-file field's current value (empty strings included): what the draft keeps. */
function formValues() {
  const v = {};
  for (const f of st.tpl.fields) {
    if (f.type === 'file') continue;
    const c = el.controls[f.name];
    if (c) v[f.name] = c.value;
  }
  return v;
}

/**
 * What is sent to the shell: the non-empty values and files. Empty fields are left out, exactly
 * as a sample leaves them out, so that a loaded sample renders (and practices) as the sample.
 */
function inputs() {
  const values = {};
  for (const [k, v] of Object.entries(formValues())) if (v !== '') values[k] = v;
  const files = {};
  for (const [k, v] of Object.entries(st.files)) if (v) files[k] = v;
  return { values, files };
}

/**
 * Fills the form. `values` null: the fields' defaults. `absent`: what a field missing from
 * `values` gets, 'default' (its default) or 'empty' (nothing, as in a sample).
 */
function fillForm(values, files, absent) {
  for (const f of st.tpl.fields) {
    if (f.type === 'file') {
      setFile(f.name, files && files[f.name] ? files[f.name] : null, { quiet: true });
      continue;
    }
    const c = el.controls[f.name];
    let v;
    if (values && Object.prototype.hasOwnProperty.call(values, f.name)) v = values[f.name];
    else if (!values || absent === 'default') v = f.default ?? '';
    else v = '';
    setControl(c, f, v == null ? '' : String(v));
  }
  clearFieldErrors();
}

function setControl(c, f, v) {
  if (f.type === 'select') {
    const ok = [...c.options].some((o) => o.value === v);
    if (ok) c.value = v;
    else if ([...c.options].some((o) => o.value === '')) c.value = '';
    else c.value = f.default ?? (c.options[0] ? c.options[0].value : '');
  } else {
    c.value = v;
  }
}

function setFile(name, path, opts = {}) {
  const f = st.tpl.fields.find((x) => x.name === name);
  if (!f) return;
  const hidden = el.controls[name];
  const zone = el.fields.querySelector(`.dropzone[data-field="${CSS.escape(name)}"]`);
  const label = zone.querySelector('.file-name');
  const clear = zone.querySelector('.file-clear');
  if (path) {
    st.files[name] = path;
    hidden.value = path;
    label.textContent = basename(path);
    label.title = path;
    delete label.dataset.i18n;
    zone.classList.add('has-file');
    clear.hidden = false;
  } else {
    delete st.files[name];
    hidden.value = '';
    setText(label, 'file.none');
    label.removeAttribute('title');
    zone.classList.remove('has-file');
    clear.hidden = true;
  }
  if (!opts.quiet) {
    validateField(f, false);
    changed();
  }
}

/** Checks a dropped or chosen file against the field's kinds; returns an error key or null. */
function kindError(f, path) {
  const ext = (basename(path).split('.').pop() || '').toLowerCase();
  const known = [...EXT.sheet, ...EXT.document];
  if (!known.includes(ext)) return 'file.unsupported';
  const kinds = (f.accept || []).length ? f.accept : ['sheet', 'document'];
  if (!kinds.some((k) => EXT[k].includes(ext))) return kinds.includes('sheet') ? 'file.want_sheet' : 'file.want_document';
  return null;
}

async function chooseFile(f) {
  try {
    const path = await api.pickFile(f.accept || []);
    if (path) assignFile(f, path);
  } catch (e) {
    showError(e);
  }
}

function assignFile(f, path) {
  const bad = kindError(f, path);
  if (bad) {
    fieldError(f.name, bad, { name: basename(path) });
    return false;
  }
  setFile(f.name, path);
  return true;
}

/** A file dropped on the window: to the file field under the pointer, else the first one. */
export function onFileDropped(payload) {
  const paths = (payload && payload.paths) || [];
  if (!paths.length) return;
  if (!st || root.hidden) {
    toast('drop.no_template', null, 'info');
    return;
  }
  const fileFields = st.tpl.fields.filter((f) => f.type === 'file');
  if (!fileFields.length) {
    toast('drop.no_field', null, 'info');
    return;
  }
  const under = document.elementFromPoint(Number(payload.x) || 0, Number(payload.y) || 0);
  const zone = under && under.closest ? under.closest('.dropzone') : null;
  const target = (zone && fileFields.find((f) => f.name === zone.dataset.field)) || fileFields[0];
  assignFile(target, paths[0]);
  // More files than one: the other empty file fields, in order.
  const rest = paths.slice(1);
  for (const f of fileFields) {
    if (!rest.length) break;
    if (f !== target && !st.files[f.name]) assignFile(f, rest.shift());
  }
  const zoneEl = el.fields.querySelector(`.dropzone[data-field="${CSS.escape(target.name)}"]`);
  if (zoneEl) {
    zoneEl.classList.remove('dropped');
    void zoneEl.offsetWidth;
    zoneEl.classList.add('dropped');
    reveal(zoneEl);
  }
}

function onFormInput(e) {
  const name = e.target && e.target.name;
  const f = name && st.tpl.fields.find((x) => x.name === name);
  if (f) validateField(f, false);
  changed();
}

/** Something the user can lose changed: refresh the prompt and save the draft (both debounced). */
function changed() {
  st.dirty = true;
  refreshPrompt();
  saveSoon();
}

// ---------------------------------------------------------------------------------------------
// Validation

function fieldError(name, key, args, detail) {
  const wrap = el.fields.querySelector(`.field[data-field="${CSS.escape(name)}"]`);
  if (!wrap) return;
  const msg = wrap.querySelector('.field-error');
  const control = el.controls[name];
  if (key) {
    setText(msg, key, args);
    if (detail) msg.title = detail;
    msg.hidden = false;
    wrap.classList.add('invalid');
    (wrap.querySelector('.dropzone button') || control).setAttribute('aria-invalid', 'true');
  } else {
    msg.hidden = true;
    msg.textContent = '';
    delete msg.dataset.i18n;
    wrap.classList.remove('invalid');
    (wrap.querySelector('.dropzone button') || control).removeAttribute('aria-invalid');
  }
}

function clearFieldErrors() {
  for (const f of st.tpl.fields) fieldError(f.name, null);
}

/** Validates one field. `strict`: also flags empty required fields (on generate). */
function validateField(f, strict) {
  const wrap = el.fields.querySelector(`.field[data-field="${CSS.escape(f.name)}"]`);
  const shown = wrap && wrap.classList.contains('invalid');
  if (!strict && !shown) {
    // While typing only bad input is flagged, not emptiness.
    const c = el.controls[f.name];
    if (c && c.validity && c.validity.badInput) fieldError(f.name, f.type === 'date' ? 'form.bad_date' : 'form.bad_number');
    return true;
  }
  const c = el.controls[f.name];
  if (c && c.validity && c.validity.badInput) {
    fieldError(f.name, f.type === 'date' ? 'form.bad_date' : 'form.bad_number');
    return false;
  }
  const empty = f.type === 'file' ? !st.files[f.name] : !String(c ? c.value : '').trim();
  if (f.required && empty) {
    fieldError(f.name, f.type === 'file' ? 'form.required_file' : 'form.required_error');
    return false;
  }
  fieldError(f.name, null);
  return true;
}

/** All fields; focuses the first invalid one. */
function validateAll() {
  let first = null;
  for (const f of st.tpl.fields) {
    if (!validateField(f, true) && !first) first = f;
  }
  if (first) {
    const wrap = el.fields.querySelector(`.field[data-field="${CSS.escape(first.name)}"]`);
    const focusable = wrap.querySelector('input:not([type=hidden]), textarea, select, button');
    reveal(wrap, 'center');
    if (focusable) focusable.focus({ preventScroll: true });
  }
  return !first;
}

/**
 * The field an error is about: the shell names it (`err.field`) for template errors; an error
 * about an input file names the file, which is attached to one field.
 */
function fieldOf(err) {
  if (!err) return null;
  if (err.field && st.tpl.fields.some((f) => f.name === err.field)) return err.field;
  if (String(err.code || '').startsWith('document.')) {
    const f = st.tpl.fields.find((x) => x.type === 'file' && st.files[x.name] && String(err.message || '').includes(st.files[x.name]));
    if (f) return f.name;
  }
  return null;
}

/** Puts an error about a field under that field too. */
function markFieldFromError(err) {
  const name = fieldOf(err);
  if (!name) return;
  if (err.code === 'template.missing_field') fieldError(name, st.tpl.fields.find((f) => f.name === name).type === 'file' ? 'form.required_file' : 'form.required_error');
  else fieldError(name, errorKey(err.code), null, err.message);
}

// ---------------------------------------------------------------------------------------------
// Samples

async function loadSample() {
  const name = el.sampleSelect ? el.sampleSelect.value || null : null;
  el.loadSample.disabled = true;
  try {
    const s = await api.loadSample(st.id, name);
    fillForm(s.values || {}, s.files || {}, 'empty');
    clearError();
    changed();
    toast('sample.loaded');
  } catch (e) {
    showError(e);
  } finally {
    el.loadSample.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Prompt preview

const refreshPrompt = debounce(() => renderPromptNow(), 300);

async function renderPromptNow() {
  if (!st || !el.prompt.open) return;
  const seq = ++st.promptSeq;
  const id = st.id;
  el.prompt.classList.add('loading');
  try {
    const p = await api.renderPrompt(id, inputs());
    if (!st || st.id !== id || seq !== st.promptSeq) return;
    el.promptSystem.textContent = p.system;
    el.promptUser.textContent = p.user;
    el.promptError.hidden = true;
    el.promptContent.hidden = false;
    setText(el.promptMeta, 'prompt.meta', {
      lang: t('language.' + p.language),
      chars: num((p.system || '').length + (p.user || '').length),
    });
    el.promptMeta.hidden = false;
  } catch (e) {
    if (!st || st.id !== id || seq !== st.promptSeq) return;
    el.promptContent.hidden = true;
    el.promptMeta.hidden = true;
    el.promptError.hidden = false;
    const name = fieldOf(e);
    const f = name && st.tpl.fields.find((x) => x.name === name);
    const title = h('p', { class: 'prompt-error-title' });
    if (e.code === 'template.missing_field' && f) setText(title, 'prompt.missing_field', { label: f.label });
    else setText(title, errorKey(e.code));
    el.promptError.replaceChildren(icon('info'), h('div', {}, title, h('p', { class: 'prompt-error-detail', dir: 'auto', text: e.message })));
  } finally {
    if (st && seq === st.promptSeq) el.prompt.classList.remove('loading');
  }
}

// ---------------------------------------------------------------------------------------------
// Generation

let paintScheduled = false;
let paintCost = 0;
let lastPaint = 0;
let statsTimer = null;

/**
 * Repaints the preview at most once per animation frame, and less often when the answer is long
 * enough for a repaint to cost real time, so a long stream never freezes the window.
 */
function schedulePaint() {
  if (paintScheduled) return;
  paintScheduled = true;
  requestAnimationFrame(function frame(now) {
    if (now - lastPaint < paintCost * 4) {
      requestAnimationFrame(frame);
      return;
    }
    paintScheduled = false;
    lastPaint = now;
    paintNow();
  });
}

/**
 * The preview groups its blocks in chunks (div.md-chunk, skipped by layout while out of view),
 * so that a long answer costs little per repaint. While streaming, the blocks already complete
 * are rendered once and only the tail again.
 */
const CHUNK = 24;
let stream = null;

function appendChunked(pane, frag, before, last) {
  let chunk = last && last.childNodes.length < CHUNK ? last : null;
  for (const node of [...frag.childNodes]) {
    if (!chunk || chunk.childNodes.length >= CHUNK) {
      chunk = h('div', { class: 'md-chunk' });
      pane.insertBefore(chunk, before);
    }
    chunk.appendChild(node);
  }
  return chunk;
}

function paintNow() {
  if (!st) return;
  const t0 = performance.now();
  const pane = el.preview;
  if (st.generating) {
    const atBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 40;
    paintStream();
    const caret = h('span', { class: 'stream-caret', 'aria-hidden': 'true' });
    const last = stream.tail.lastElementChild;
    (last && !['PRE', 'TABLE', 'DIV', 'UL', 'OL', 'HR', 'BLOCKQUOTE'].includes(last.nodeName) ? last : stream.tail).appendChild(caret);
    if (atBottom) pane.scrollTop = pane.scrollHeight;
  } else {
    stream = null;
    pane.replaceChildren();
    appendChunked(pane, renderMarkdown(st.answer), null, null);
  }
  paintCost = performance.now() - t0;
}

function paintStream() {
  const text = st.answer;
  if (!stream || stream.cut > text.length || !el.preview.contains(stream.tail)) {
    stream = { cut: 0, chunk: null, tail: h('div', { class: 'stream-tail' }) };
    el.preview.replaceChildren(stream.tail);
  }
  // Advance the cut to the last blank line outside a code fence: what is before it is final.
  let pos = stream.cut;
  let cut = stream.cut;
  let fence = false;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break;
    const line = text.slice(pos, nl);
    if (/^ {0,3}(```|~~~)/.test(line)) fence = !fence;
    pos = nl + 1;
    if (!fence && !line.trim()) cut = pos;
  }
  if (cut > stream.cut) {
    stream.chunk = appendChunked(el.preview, renderMarkdown(text.slice(stream.cut, cut)), stream.tail, stream.chunk);
    stream.cut = cut;
  }
  stream.tail.replaceChildren(renderMarkdown(text.slice(stream.cut)));
}

function setAnswerState(state) {
  el.area.dataset.state = state;
  el.empty.hidden = state !== 'empty';
  el.preview.hidden = state === 'empty';
}

function setTab(tab) {
  el.area.dataset.tab = tab;
  el.tabPreview.setAttribute('aria-selected', String(tab === 'preview'));
  el.tabEdit.setAttribute('aria-selected', String(tab === 'edit'));
  el.tabPreview.tabIndex = tab === 'preview' ? 0 : -1;
  el.tabEdit.tabIndex = tab === 'edit' ? 0 : -1;
}

function updateButtons() {
  const g = st.generating;
  const has = !!st.answer.trim();
  el.generate.disabled = g;
  el.stop.hidden = !g;
  el.regenerate.hidden = g || !has;
  el.restore.hidden = g || st.previous == null;
  el.editor.readOnly = g;
  for (const b of [el.copy, el.exportDocx, el.exportMd]) b.disabled = g || !has;
  el.exportXlsx.disabled = g || !has || !hasTable(st.answer);
  el.form.setAttribute('aria-busy', String(g));
  root.classList.toggle('is-generating', g);
}

function updatePartial() {
  el.partialNote.hidden = !st.partial;
}

/**
 * The line beside the buttons: elapsed time and tokens while streaming, then the outcome. Kept as
 * raw figures in st.stats so that a language switch formats them again.
 */
function updateStats(final) {
  if (!st) return;
  const r = st.result;
  if (final && r) {
    const tokens = r.usage && r.usage.completionTokens != null ? r.usage.completionTokens : st.deltas;
    st.stats = { key: r.usage ? 'stats.done' : 'stats.done_approx', ms: r.elapsedMs, tokens, model: r.model || '—', profile: r.profile || '—' };
  } else if (st.generating) {
    st.stats = { key: 'stats.running', ms: performance.now() - st.started, tokens: st.deltas };
  }
  renderStats();
}

function renderStats() {
  const s = st && st.stats;
  if (!s) {
    el.stats.textContent = '';
    delete el.stats.dataset.i18n;
    return;
  }
  setText(el.stats, s.key, { time: seconds(s.ms), tokens: num(s.tokens), model: s.model });
  if (s.profile) el.stats.title = t('stats.profile', { profile: s.profile, model: s.model });
  else el.stats.removeAttribute('title');
}

/** A notice `{code, message}` from the shell: its translated text, the message as the detail. */
function showNotice(n) {
  const key = noticeKey(n.code);
  const text = key ? h('span', { i18n: key, title: n.message }) : h('span', { dir: 'auto', text: n.message || '' });
  el.notice.replaceChildren(icon('info'), text);
  el.notice.hidden = false;
}

async function startGenerate() {
  if (!st || st.generating) return;
  clearError();
  el.notice.hidden = true;
  if (!validateAll()) {
    showError({ code: 'form.incomplete', message: '' }, { titleKey: 'form.incomplete' });
    return;
  }
  const id = st.id;
  const me = st;
  saveNow(); // a checkpoint: what was typed is on disk before anything is sent
  me.previous = me.answer.trim() ? me.answer : null;
  me.previousPartial = me.partial;
  me.previousModel = me.model;
  me.model = null;
  me.answer = '';
  me.partial = false;
  me.deltas = 0;
  me.result = null;
  me.started = performance.now();
  me.generating = true;
  el.exportResult.hidden = true;
  updatePartial();
  setAnswerState('streaming');
  el.editor.value = '';
  paintNow();
  updateButtons();
  updateStats(false);
  statsTimer = setInterval(() => updateStats(false), 200);
  el.stop.focus();

  const onEvent = (msg) => {
    if (st !== me || !me.generating) return;
    if (msg && msg.event === 'delta') {
      me.answer += (msg.data && msg.data.text) || '';
      me.deltas++;
      schedulePaint();
      saveSoon();
    } else if (msg && msg.event === 'notice') {
      showNotice(msg.data || {});
    }
  };

  let error = null;
  try {
    const r = await api.generate(id, inputs(), null, onEvent);
    me.result = r;
    me.model = r.model || null;
    // The shell's text is the whole answer; the deltas may have been repainted lazily.
    if (typeof r.text === 'string' && r.text.length >= me.answer.length) me.answer = r.text;
    if (r.finishReason === 'length') showNotice(t('answer.truncated'));
  } catch (e) {
    error = e;
  }
  clearInterval(statsTimer);
  me.generating = false;
  if (st !== me) return; // the user went to another template meanwhile: its state is stashed
  if (error) {
    const hasText = !!me.answer.trim();
    if (error.code === 'provider.cancelled') {
      me.partial = hasText;
      toast(hasText ? 'generate.stopped_partial' : 'generate.stopped', null, 'info');
    } else if (error.code === 'provider.cut') {
      me.partial = hasText;
      showError(error, { extraKey: hasText ? 'answer.partial_kept' : null });
    } else {
      showError(error);
      markFieldFromError(error);
    }
    if (!hasText && me.previous != null) {
      // Nothing new arrived: the previous answer comes back untouched.
      me.answer = me.previous;
      me.partial = me.previousPartial;
      me.model = me.previousModel;
      me.previous = null;
    }
    me.stats = { key: me.partial ? 'stats.partial' : 'stats.failed', ms: performance.now() - me.started, tokens: me.deltas };
    renderStats();
  } else {
    updateStats(true);
  }
  el.editor.value = me.answer;
  setAnswerState(me.answer ? 'ready' : 'empty');
  paintNow();
  if (!error) el.preview.scrollTop = 0; // the finished answer reads from its start
  updateButtons();
  updatePartial();
  saveNow();
}

async function stopGenerate() {
  if (!st || !st.generating) return;
  el.stop.disabled = true;
  try {
    await api.cancelGeneration();
  } catch (e) {
    showError(e);
  } finally {
    el.stop.disabled = false;
  }
}

function restorePrevious() {
  if (!st || st.previous == null) return;
  const cur = st.answer;
  const curModel = st.model;
  st.answer = st.previous;
  st.model = st.previousModel ?? null;
  st.previousModel = curModel;
  st.previous = cur.trim() ? cur : null;
  st.partial = false;
  el.editor.value = st.answer;
  setAnswerState(st.answer ? 'ready' : 'empty');
  paintNow();
  updateButtons();
  updatePartial();
  saveSoon();
}

function onEditorInput() {
  if (!st || st.generating) return;
  st.answer = el.editor.value;
  schedulePaint();
  updateButtons();
  saveSoon();
}

/** Links in the answer are not followed inside the app: a click copies the address instead. */
function onPreviewClick(e) {
  const a = e.target.closest && e.target.closest('a');
  if (!a) return;
  e.preventDefault();
  const href = a.getAttribute('href') || '';
  if (navigator.clipboard && href) navigator.clipboard.writeText(href).then(() => toast('answer.link_copied', { url: href }), () => {});
}

function onKey(e) {
  if (!st || root.hidden) return;
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    startGenerate();
  } else if (e.key === 'Escape' && st.generating) {
    e.preventDefault();
    stopGenerate();
  }
}

// ---------------------------------------------------------------------------------------------
// Copy and export

async function copyAnswer() {
  const text = st.answer;
  try {
    await navigator.clipboard.writeText(text);
    toast('answer.copied');
  } catch {
    // Older webviews: copy through a selection.
    el.editor.focus();
    el.editor.select();
    const ok = document.execCommand && document.execCommand('copy');
    toast(ok ? 'answer.copied' : 'answer.copy_failed', null, ok ? 'ok' : 'info');
  }
}

async function doExport(format) {
  if (!st || !st.answer.trim()) return;
  const btn = { docx: el.exportDocx, xlsx: el.exportXlsx, md: el.exportMd }[format] || el.exportMd;
  btn.disabled = true;
  btn.classList.add('busy');
  try {
    const path = await api.exportAnswer(st.id, inputs(), st.answer, format, st.model || null);
    if (path) showExported(path);
    else toast('export.cancelled', null, 'info');
  } catch (e) {
    showError(e);
    markFieldFromError(e);
  } finally {
    btn.classList.remove('busy');
    updateButtons();
  }
}

/** Whether the Markdown has a table: a line starting with `|` followed by a `|---` separator line. */
function hasTable(md) {
  return /^ {0,3}\|.*\r?\n {0,3}\|[ \t]*:?-+/m.test(md || '');
}

function showExported(path) {
  const open = h('button', { type: 'button', class: 'btn btn-small', id: 'open-export', onclick: () => api.openPath(path).catch(showError) }, icon('open', 'flip-rtl'), h('span', { i18n: 'export.open' }));
  el.exportResult.replaceChildren(
    icon('check', 'ok-icon'),
    h('div', { class: 'export-text' }, h('span', { i18n: 'export.saved' }), ' ', h('code', { class: 'export-path', dir: 'ltr', text: path })),
    open,
  );
  translate(el.exportResult);
  el.exportResult.hidden = false;
  reveal(el.exportResult);
}

// ---------------------------------------------------------------------------------------------
// Autosave

const saveSoon = debounce(() => saveNow(), 500, 2000);
let saving = Promise.resolve();

function saveNow() {
  if (!st || (!st.dirty && !st.answer)) return saving;
  saveSoon.cancel();
  const draft = { template: st.id, values: formValues(), files: { ...st.files }, answer: st.answer };
  saving = saving
    .then(() => api.saveDraft(draft))
    .then(
      () => {
        if (el.autosave) {
          const time = new Date().toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
          setText(el.autosave, 'autosave.saved', { time });
          el.autosave.classList.remove('error');
        }
      },
      (e) => {
        if (el.autosave) {
          setText(el.autosave, 'autosave.failed');
          el.autosave.title = e.message || '';
          el.autosave.classList.add('error');
        }
      },
    );
  return saving;
}

// ---------------------------------------------------------------------------------------------
// Language switch: labels come from the shell in the UI language; values stay.

async function relang() {
  const id = st.id;
  let tpl;
  try {
    tpl = await api.getTemplate(id, lang());
  } catch (e) {
    showError(e);
    return;
  }
  if (!st || st.id !== id) return;
  st.lang = lang();
  const values = formValues();
  const invalid = [...el.fields.querySelectorAll('.field.invalid')].map((w) => w.dataset.field);
  st.tpl = tpl;
  el.title.textContent = tpl.title;
  el.desc.textContent = tpl.description;
  root.querySelector('.tpl-head .chip').textContent = categoryLabel(tpl);
  const sample = el.sampleSelect ? el.sampleSelect.value : null;
  buildSampleBar();
  if (el.sampleSelect && sample != null) el.sampleSelect.value = sample;
  const files = { ...st.files };
  buildFields();
  fillForm(values, files, 'default');
  for (const name of invalid) {
    const f = tpl.fields.find((x) => x.name === name);
    if (f) validateField(f, true);
  }
  translate(root);
  renderStats();
  renderPromptNow();
}
