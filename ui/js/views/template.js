// The template screen: the form generated from the template's fields (template/form.js), what
// will leave this computer and the generation (template/generate.js), the answer with its
// preview and exports (template/answer.js), and the autosaved draft (template/draft.js). This
// module opens a template, lays the screen out, and switches its language.
//
// What the user typed and what the model wrote are never thrown away: errors leave the form and
// the answer as they are, a cut stream keeps its partial text, and every change is saved as the
// draft (debounced) so that closing or killing the app loses nothing.

import * as api from '../api.js';
import { h, icon, showError, toast } from '../dom.js';
import { t, lang, translate, onLangChange } from '../i18n.js';
import { ctx } from './template/ctx.js';
import { buildFields, buildSampleBar, fillForm, formValues, onFormInput, validateField } from './template/form.js';
import { buildPromptPanel, refreshPrompt, renderPromptNow, renderStats, startGenerate, stopGenerate } from './template/generate.js';
import { copyAnswer, doExport, flagRestore, hasTable, onEditorInput, onPreviewClick, paintNow, referenceField, setAnswerState, setTab, updatePartial } from './template/answer.js';
import { saveNow, saveSoon, session, stash } from './template/draft.js';

export { onFileDropped } from './template/form.js';

export function init(container) {
  ctx.root = container;
  ctx.changed = changed;
  ctx.saveNow = saveNow;
  ctx.saveSoon = saveSoon;
  ctx.updateButtons = updateButtons;
  onLangChange(() => {
    if (ctx.st && !ctx.root.hidden) relang();
  });
  document.addEventListener('keydown', onKey);
  document.addEventListener('katib:profiles-changed', () => {
    loadPolicy();
    if (ctx.st && ctx.el.prompt && ctx.el.prompt.open) renderPromptNow();
  });
  // Last chance to save when the window goes away.
  window.addEventListener('pagehide', () => saveNow());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && saveNow());
  loadPolicy();
}

/** What the machine's policy locks (for the "send unmasked" control). */
function loadPolicy() {
  api.appInfo().then(
    (i) => (ctx.policy = i.policy || null),
    () => {},
  );
}

/** Id and title of the open template, for the home screen's "resume" card. */
export function current() {
  const st = ctx.st;
  return st ? { id: st.id, title: st.tpl.title, hasAnswer: !!st.answer } : null;
}

export function isGenerating() {
  return !!(ctx.st && ctx.st.generating);
}

/** Something the user can lose changed: refresh the prompt and save the draft (both debounced). */
function changed() {
  ctx.st.dirty = true;
  refreshPrompt();
  saveSoon();
}

// ---------------------------------------------------------------------------------------------
// Opening

/**
 * Opens template `id`. `restore` = {values, files, answer, runId, model} (a draft, or a run
 * reopened from the History) fills it; else the inputs of this session, else the defaults.
 * Resolves false when the template cannot be loaded.
 */
export async function open(id, restore) {
  let st = ctx.st;
  if (st && st.generating && st.id !== id) {
    toast('generate.busy', null, 'info');
    return false;
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
  st = ctx.st = {
    id,
    tpl,
    lang: lang(),
    files: {},
    answer: saved ? saved.answer || '' : '',
    partial: saved ? !!saved.partial : false,
    // The model that wrote the answer (from the last generation), for the export; null unknown.
    model: saved ? saved.model || null : null,
    // The history's id of the run that wrote the answer: exports are recorded against it.
    runId: saved ? saved.runId || null : null,
    restore: null,
    unmaskedBy: null,
    outgoing: null,
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
  ctx.el.editor.value = st.answer;
  paintNow();
  updateButtons();
  updatePartial();
  return true;
}

function applyRestore(r) {
  const { st, el } = ctx;
  // The answer on screen is not lost: "back to the previous version" brings it back.
  if (st.answer.trim() && st.answer !== (r.answer || '')) {
    st.previous = st.answer;
    st.previousModel = st.model;
    st.previousRun = st.runId;
  }
  fillForm(r.values || {}, r.files || {}, 'default');
  st.answer = r.answer || '';
  st.model = r.model || null;
  st.runId = r.runId || null;
  st.restore = null;
  st.partial = false;
  el.editor.value = st.answer;
  setAnswerState(st.answer ? 'ready' : 'empty');
  paintNow();
  flagRestore();
  updateButtons();
  updatePartial();
}

// ---------------------------------------------------------------------------------------------
// Building the screen

function build() {
  const { st, root } = ctx;
  const tpl = st.tpl;
  const el = (ctx.el = {});
  el.title = h('h1', { class: 'tpl-title', id: 'template-title', dir: 'auto', text: tpl.title });
  el.desc = h('p', { class: 'tpl-desc', dir: 'auto', text: tpl.description });
  el.autosave = h('span', { class: 'autosave', id: 'autosave-status', 'aria-live': 'polite' });
  el.chip = h('span', { class: 'chip', text: t('category.' + tpl.category) });
  el.fixedChip = h('span', { class: 'chip chip-fixed', id: 'fixed-chip', i18n: 'template.fixed', i18nTitle: 'template.fixed_title', hidden: tpl.generate !== 'fixed' });
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

  const formCol = h(
    'div',
    { class: 'tpl-form-col', id: 'form-column' },
    h('div', { class: 'col-head' }, h('h2', { class: 'col-title', i18n: 'form.title' }), el.sampleBar),
    el.form,
    buildPromptPanel(),
  );

  // Answer column
  const fixed = tpl.generate === 'fixed';
  el.generate = h('button', { type: 'button', class: 'btn btn-primary', id: 'generate', onclick: startGenerate }, icon(fixed ? 'pen' : 'play', 'flip-rtl'), h('span', { i18n: fixed ? 'generate.fill' : 'generate.generate' }));
  el.stop = h('button', { type: 'button', class: 'btn btn-danger', id: 'stop', hidden: true, onclick: stopGenerate }, icon('stop'), h('span', { i18n: 'generate.stop' }));
  el.regenerate = h('button', { type: 'button', class: 'btn', id: 'regenerate', hidden: true, onclick: startGenerate }, icon('refresh'), h('span', { i18n: fixed ? 'generate.refill' : 'generate.regenerate' }));
  el.restore = h('button', { type: 'button', class: 'btn btn-ghost btn-small', id: 'restore-previous', hidden: true, onclick: restorePrevious }, h('span', { i18n: 'generate.restore_previous' }));
  el.stats = h('span', { class: 'gen-stats', id: 'gen-stats', 'aria-live': 'off' });
  el.hint = h('span', { class: 'kbd-hint', i18n: 'generate.shortcut' });
  const actions = h('div', { class: 'action-bar', role: 'toolbar', i18nAria: 'generate.toolbar' }, el.generate, el.stop, el.regenerate, el.restore, el.hint, h('span', { class: 'spacer' }), el.stats);

  el.notice = h('div', { class: 'notice', id: 'notice', hidden: true, role: 'status' });
  el.restoreNote = h('div', { class: 'notice', id: 'restore-note', hidden: true, role: 'status' });
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
    h('p', { class: 'empty-text', i18n: fixed ? 'answer.empty_text_fixed' : 'answer.empty_text' }),
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
  el.exportFinal = h('button', { type: 'button', class: 'btn', id: 'export-final', i18nTitle: 'export.final_hint', hidden: !referenceField(), onclick: () => doExport('final') }, icon('register'), h('span', { i18n: 'export.final' }));
  el.exportResult = h('div', { class: 'export-result', id: 'export-result', hidden: true, role: 'status' });
  const exportBar = h('div', { class: 'export-bar' }, el.copy, h('span', { class: 'spacer' }), el.exportMd, el.exportXlsx, el.exportFinal, el.exportDocx);

  const answerCol = h('div', { class: 'tpl-answer-col', id: 'answer-column' }, actions, el.notice, el.restoreNote, el.partialNote, el.area, exportBar, el.exportResult);

  root.replaceChildren(
    h(
      'div',
      { class: 'tpl-head' },
      back,
      h('div', { class: 'tpl-head-text' }, h('div', { class: 'tpl-head-line' }, el.title, el.chip, el.fixedChip), el.desc),
      el.autosave,
      el.merge,
    ),
    h('div', { class: 'tpl-body' }, formCol, answerCol),
  );
  translate(root);
  setTab('preview');
}

export function updateButtons() {
  const { st, el, root } = ctx;
  const g = st.generating;
  const has = !!st.answer.trim();
  el.generate.disabled = g;
  el.stop.hidden = !g;
  el.regenerate.hidden = g || !has;
  el.restore.hidden = g || st.previous == null;
  el.editor.readOnly = g;
  for (const b of [el.copy, el.exportDocx, el.exportMd, el.exportFinal]) b.disabled = g || !has;
  // The workbook export is offered when the answer has a table (a letter rarely has one).
  el.exportXlsx.hidden = !hasTable(st.answer) && st.tpl.export !== 'xlsx';
  el.exportXlsx.disabled = g || !has || !hasTable(st.answer);
  el.form.setAttribute('aria-busy', String(g));
  root.classList.toggle('is-generating', g);
}

function restorePrevious() {
  const { st, el } = ctx;
  if (!st || st.previous == null) return;
  const cur = st.answer;
  const curModel = st.model;
  const curRun = st.runId;
  st.answer = st.previous;
  st.model = st.previousModel ?? null;
  st.runId = st.previousRun ?? null;
  st.previousModel = curModel;
  st.previousRun = curRun;
  st.previous = cur.trim() ? cur : null;
  st.partial = false;
  st.restore = null;
  el.editor.value = st.answer;
  setAnswerState(st.answer ? 'ready' : 'empty');
  paintNow();
  flagRestore();
  updateButtons();
  updatePartial();
  saveSoon();
}

function onKey(e) {
  const st = ctx.st;
  if (!st || ctx.root.hidden || document.querySelector('dialog[open]')) return;
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    startGenerate();
  } else if (e.key === 'Escape' && st.generating) {
    e.preventDefault();
    stopGenerate();
  }
}

// ---------------------------------------------------------------------------------------------
// Language switch: labels come from the shell in the UI language; values stay.

async function relang() {
  const id = ctx.st.id;
  let tpl;
  try {
    tpl = await api.getTemplate(id, lang());
  } catch (e) {
    showError(e);
    return;
  }
  const { st, el, root } = ctx;
  if (!st || st.id !== id) return;
  st.lang = lang();
  const values = formValues();
  const invalid = [...el.fields.querySelectorAll('.field.invalid')].map((w) => w.dataset.field);
  st.tpl = tpl;
  el.title.textContent = tpl.title;
  el.desc.textContent = tpl.description;
  el.chip.textContent = t('category.' + tpl.category);
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
