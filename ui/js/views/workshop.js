// The workshop screen ("Formation"): the exercise packs (built-in and imported), a pack's
// programme, an exercise done step by step (values -> prompt -> answer -> document) with its
// rubric after each generation or edit, handing in a submission, reviewing a peer's, and the
// trainer's results table. A pack is imported from the open dialog or dropped on the screen
// (one path for both: `importPack`). The trainer's pack builder is its own module
// (workshop/builder.js), fetched on its first visit.
//
// Deliberately not here: pack formats, rubric rules and variants (katib-workshop, through the
// shell's workshop commands), the general template screen (views/template.js). Every text that
// comes from a pack, a peer or the model is set as text (h(..., {text}) or the Markdown renderer,
// which builds DOM nodes): never as markup.

import * as api from '../api.js';
import { h, icon, basename, debounce, showError, clearError, toast } from '../dom.js';
import { t, lang, setText, translate, num, onLangChange } from '../i18n.js';
import { renderMarkdown } from '../markdown.js';
import { compareBox } from './workshop/compare.js';

let root = null;
let body = null;
let learnerBox = null;
/** What is shown: {view: 'packs'|'pack'|'exercise'|'review'|'results'|'builder', ...}. */
let st = { view: 'packs' };
let learner = null;

/** A Localized `{fr, ar, en}` in the UI's language (French fills in). */
function loc(x) {
  if (x == null) return '';
  if (typeof x === 'string') return x;
  return x[lang()] || x.fr || '';
}

export function init(container) {
  root = container;
  learnerBox = h('div', { class: 'ws-learner', id: 'ws-learner' });
  body = h('div', { class: 'ws-body', id: 'ws-body' });
  root.replaceChildren(h('div', { class: 'ws-inner' }, learnerBox, body));
  onLangChange(() => {
    if (root.hidden) return;
    // The builder's forms keep what the trainer typed: only their labels change.
    if (st.view === 'builder') {
      translate(body);
      if (builderModule) builderModule.relang();
    } else render();
  });
}

// The trainer's pack builder, fetched on its first visit (learners never need it).
let builderModule = null;
async function loadBuilder() {
  if (!builderModule) {
    const m = await import('./workshop/builder.js');
    m.init({ body, put, action, loc, back: () => showPacks() });
    builderModule = m;
  }
  return builderModule;
}

async function showBuilder() {
  let b;
  try {
    b = await loadBuilder();
  } catch (e) {
    showError(e);
    return;
  }
  st = { view: 'builder' };
  await b.show();
}

/** Called when the screen is shown. */
export async function enter() {
  try {
    learner = await api.learnerGet();
  } catch (e) {
    showError(e);
  }
  renderLearner();
  await render();
}

async function render() {
  if (st.view === 'pack') return showPack(st.pack.id);
  if (st.view === 'exercise') return startExercise(st.pack.id, st.ex.id, st);
  if (st.view === 'review') return renderReview();
  if (st.view === 'results') return renderResults();
  if (st.view === 'builder') return showBuilder();
  return showPacks();
}

/** replaceChildren without the null and false of conditional parts (it would show "null"). */
function put(box, ...kids) {
  box.replaceChildren(...kids.flat().filter((k) => k != null && k !== false));
}

function busy(btn, on) {
  btn.disabled = on;
  btn.classList.toggle('busy', on);
}

/** A button that runs `fn` (errors shown, never thrown), busy meanwhile. */
function action(props, label, fn, ic) {
  const b = h('button', { type: 'button', class: 'btn ' + (props.class || ''), id: props.id }, ic ? icon(ic) : null, h('span', { i18n: label }));
  b.addEventListener('click', async () => {
    busy(b, true);
    try {
      await fn();
    } catch (e) {
      showError(e);
    } finally {
      busy(b, false);
    }
  });
  return b;
}

// ---------------------------------------------------------------------------------------------
// The learner's name (once per computer: it goes with every submission and review, and chooses
// the practice variant).

function renderLearner() {
  const name = h('input', { type: 'text', id: 'ws-learner-name', class: 'ws-input', autocomplete: 'off', value: learner ? learner.name : '', i18nPlaceholder: 'ws.learner_name' });
  const team = h('input', { type: 'text', id: 'ws-learner-team', class: 'ws-input ws-input-short', autocomplete: 'off', value: learner && learner.team ? learner.team : '', i18nPlaceholder: 'ws.learner_team' });
  const save = action({ class: 'btn-small', id: 'ws-learner-save' }, 'ws.learner_save', async () => {
    learner = await api.learnerSet(name.value.trim(), team.value.trim());
    toast('ws.learner_saved', { name: learner.name });
    renderLearner();
    if (st.view === 'pack') await showPack(st.pack.id);
  });
  learnerBox.replaceChildren(
    icon('pen', 'ws-learner-icon'),
    h('span', { class: 'ws-learner-label', i18n: learner ? 'ws.learner_is' : 'ws.learner_none', i18nArgs: learner ? { name: learner.name } : undefined }),
    name,
    team,
    save,
  );
}

// ---------------------------------------------------------------------------------------------
// The packs

// ---------------------------------------------------------------------------------------------
// Importing a pack: the open dialog and a drop on the screen take the same path. The user's own
// templates are never replaced without their agreement: the shell refuses with
// `pack.would_replace`, the screen asks, and the same file is imported again with `replace`.

/** Imports the `.katib` (or pack folder) at `path`; the pack list then shows it. */
export async function importPack(path) {
  clearError();
  let r;
  try {
    r = await api.packImport(path, false);
  } catch (e) {
    if (e && e.code === 'pack.would_replace') return askReplace(path, e);
    showError(e, { titleKey: 'ws.import_failed', titleArgs: { name: basename(path) } });
    return;
  }
  await imported(r);
}

async function imported(r) {
  toast(r.exercises === 1 ? 'ws.imported_one' : 'ws.imported', { title: loc(r.title), n: r.exercises });
  await showPacks(r);
}

/** The refusal, the templates it would replace, and the choice: replace them, or keep them. */
async function askReplace(path, err) {
  if (st.view !== 'packs') await showPacks();
  const box = h(
    'div',
    { class: 'notice notice-warn ws-replace', id: 'ws-replace', role: 'alertdialog' },
    icon('alert'),
    h(
      'div',
      {},
      h('strong', { i18n: 'ws.replace_title', i18nArgs: { name: basename(path) } }),
      h('p', { class: 'help', i18n: 'ws.replace_help' }),
      h('p', { class: 'ws-replace-detail', dir: 'ltr', text: err.message }),
      h(
        'div',
        { class: 'ws-row' },
        action({ class: 'btn-danger', id: 'ws-replace-yes' }, 'ws.replace_yes', async () => {
          box.remove();
          await imported(await api.packImport(path, true));
        }),
        h('button', { type: 'button', class: 'btn', id: 'ws-replace-no', onclick: () => box.remove() }, h('span', { i18n: 'ws.replace_no' })),
      ),
    ),
  );
  const old = body.querySelector('#ws-replace');
  if (old) old.remove();
  body.querySelector('.ws-tools').after(box);
  box.querySelector('#ws-replace-no').focus();
}

/**
 * Files dropped on the Formation screen: a `.katib` or a pack folder is imported, a peer's
 * `.katib-rendu` opened for review, a `.katib-avis` imported. Anything else is handed to the
 * importer too, which says why it is not a pack.
 */
export async function onFileDropped(payload) {
  const paths = (payload && payload.paths) || [];
  for (const p of paths) {
    const low = String(p).toLowerCase();
    try {
      if (low.endsWith('.katib-rendu')) {
        const s = await api.submissionOpen(p);
        if (s) {
          st = { view: 'review', sub: s };
          renderReview();
        }
      } else if (low.endsWith('.katib-avis')) {
        const r = await api.reviewImport(p);
        if (r) {
          toast('ws.review_imported', { name: r.review.reviewer.name, score: r.review.score, scale: r.review.scale });
          await showPacks();
        }
      } else await importPack(p);
    } catch (e) {
      showError(e);
    }
  }
}

/** The import just done, above the list: what it installed and what it noticed. */
function importReport(r) {
  const installed = (r.templates_installed || []).length;
  const replaced = (r.templates_replaced || []).length;
  return h(
    'div',
    { class: 'notice notice-ok ws-import-report', id: 'ws-import-report' },
    icon('check'),
    h(
      'div',
      {},
      h('strong', { dir: 'auto', i18n: r.exercises === 1 ? 'ws.imported_one' : 'ws.imported', i18nArgs: { title: loc(r.title), n: r.exercises } }),
      h('p', { class: 'help', i18n: 'ws.import_details', i18nArgs: { installed, replaced, warnings: (r.warnings || []).length } }),
    ),
  );
}

async function showPacks(justImported) {
  st = { view: 'packs' };
  let list;
  try {
    list = await api.packList(lang());
  } catch (e) {
    showError(e);
    list = { packs: [], warnings: [] };
  }
  const cards = list.packs.map((p) =>
    h(
      'button',
      { type: 'button', class: 'ws-pack-card' + (justImported && justImported.id === p.id ? ' ws-pack-new' : ''), dataset: { id: p.id }, onclick: () => showPack(p.id) },
      h('span', { class: 'card-title', dir: 'auto', text: p.title }),
      h(
        'span',
        { class: 'ws-meta' },
        h('span', { class: 'chip', i18n: p.exercises === 1 ? 'ws.exercises_one' : 'ws.exercises_n', i18nArgs: { n: p.exercises } }),
        p.days.length ? h('span', { class: 'chip', i18n: p.days.length === 1 ? 'ws.days_one' : 'ws.days_n', i18nArgs: { n: p.days.length } }) : null,
        h('span', { class: 'chip chip-quiet', i18n: 'ws.origin.' + p.origin }),
        h('span', { class: 'ws-version', i18n: 'ws.version', i18nArgs: { v: p.version } }),
      ),
    ),
  );
  const tools = h(
    'div',
    { class: 'ws-tools' },
    action({ class: 'btn-accent', id: 'ws-import' }, 'ws.import', async () => {
      const path = await api.packPick();
      if (path) await importPack(path);
    }, 'upload'),
    action({ id: 'ws-builder' }, 'ws.builder', () => showBuilder(), 'edit'),
    action({ id: 'ws-open-submission' }, 'ws.review_open', async () => {
      const s = await api.submissionOpen(null);
      if (s) {
        st = { view: 'review', sub: s };
        renderReview();
      }
    }, 'eye'),
    action({ id: 'ws-import-review' }, 'ws.review_import', async () => {
      const r = await api.reviewImport(null);
      if (r) {
        toast('ws.review_imported', { name: r.review.reviewer.name, score: r.review.score, scale: r.review.scale });
        await showPacks();
      }
    }, 'download'),
    action({ id: 'ws-results' }, 'ws.results', async () => {
      const r = await api.resultsGather(null);
      if (r) {
        st = { view: 'results', results: r };
        renderResults();
      }
    }, 'sheet'),
  );
  const warnings = list.warnings.map((w) => h('p', { class: 'notice notice-warn', dir: 'auto', text: typeof w === 'string' ? w : w.message || JSON.stringify(w) }));
  let received = [];
  try {
    received = await api.reviewList();
  } catch (e) {
    showError(e);
  }
  put(body, 
    h('h1', { class: 'page-title', i18n: 'ws.title' }),
    h('p', { class: 'home-lead', i18n: 'ws.lead' }),
    tools,
    h('p', { class: 'help ws-drop-hint', i18n: 'ws.drop_hint' }),
    justImported ? importReport(justImported) : null,
    ...warnings,
    list.packs.length ? h('div', { class: 'ws-pack-grid', id: 'ws-packs' }, cards) : h('p', { class: 'empty-text', i18n: 'ws.no_packs' }),
    received.length ? receivedReviews(received) : null,
  );
}

function receivedReviews(list) {
  return h(
    'section',
    { class: 'ws-section', id: 'ws-received' },
    h('h2', { class: 'ws-h2', i18n: 'ws.received' }),
    h(
      'ul',
      { class: 'ws-list' },
      list.map((r) =>
        h(
          'li',
          { class: 'ws-received-item' },
          h('strong', { dir: 'auto', text: `${r.reviewer.name} — ${loc(r.exercise.title) || r.exercise.id}` }),
          h('span', { class: 'chip', text: `${r.score} / ${r.scale}` }),
          r.comment ? h('p', { class: 'ws-comment', dir: 'auto', text: r.comment }) : null,
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// A pack: its programme by day

async function showPack(id) {
  let p;
  try {
    p = await api.packOpen(id, lang());
  } catch (e) {
    showError(e);
    return;
  }
  st = { view: 'pack', pack: p };
  const days = [...new Set(p.exercises.map((x) => x.day || 0))].sort((a, b) => a - b);
  const byDay = days.map((d) =>
    h(
      'section',
      { class: 'ws-day', dataset: { day: d } },
      h('h2', { class: 'ws-h2', i18n: d ? 'ws.day' : 'ws.other', i18nArgs: { n: d } }),
      h(
        'ol',
        { class: 'ws-exercises' },
        p.exercises.filter((x) => (x.day || 0) === d).map((x) =>
          h(
            'li',
            { class: 'ws-ex-item' },
            h('span', { class: 'ws-ex-num', text: num(x.number) }),
            h(
              'span',
              { class: 'ws-ex-text' },
              h('span', { class: 'ws-ex-title', dir: 'auto', text: x.title }),
              h('span', { class: 'ws-ex-sub', dir: 'auto', text: x.templateTitle || x.template }),
            ),
            x.team ? h('span', { class: 'chip', i18n: 'ws.team' }) : null,
            h('button', { type: 'button', class: 'btn btn-small btn-primary ws-start', dataset: { exercise: x.id }, onclick: () => startExercise(p.id, x.id) }, icon('play'), h('span', { i18n: 'ws.start' })),
          ),
        ),
      ),
    ),
  );
  const facts = [
    ['ws.audience', p.audience],
    ['ws.duration', p.duration],
  ].filter(([, v]) => v);
  put(body, 
    h('button', { type: 'button', class: 'btn btn-ghost btn-small back-btn', id: 'ws-back-packs', onclick: () => showPacks() }, icon('back', 'flip-rtl'), h('span', { i18n: 'ws.back_packs' })),
    h('h1', { class: 'page-title', id: 'ws-pack-title', dir: 'auto', text: p.title }),
    p.description ? h('p', { class: 'home-lead', dir: 'auto', text: p.description }) : null,
    h('dl', { class: 'ws-facts' }, facts.map(([k, v]) => [h('dt', { i18n: k }), h('dd', { dir: 'auto', text: v })])),
    p.objectives.length ? h('section', { class: 'ws-section' }, h('h2', { class: 'ws-h2', i18n: 'ws.objectives' }), h('ul', { class: 'ws-list' }, p.objectives.map((o) => h('li', { dir: 'auto', text: o })))) : null,
    h(
      'div',
      { class: 'ws-tools' },
      action({ id: 'ws-validate' }, 'ws.validate', async () => {
        const r = await api.packValidate(p.id);
        if (r) showValidation(r);
      }, 'check'),
      action({ id: 'ws-export-pack' }, 'ws.export_pack', async () => {
        const r = await api.packExport(p.id);
        if (r) toast('ws.exported', { path: basename(r.out) });
      }, 'download'),
      p.origin === 'imported'
        ? action({ class: 'btn-danger-text', id: 'ws-remove-pack' }, 'ws.remove_pack', async () => {
            await api.packRemove(p.id);
            await showPacks();
          }, 'trash')
        : null,
    ),
    h('div', { id: 'ws-validation', hidden: true }),
    ...byDay,
  );
}

function showValidation(r) {
  const box = body.querySelector('#ws-validation');
  const line = (x) => h('li', { dir: 'auto', text: (x.file ? x.file + (x.line ? ':' + x.line : '') + ' — ' : '') + x.message });
  put(box,
    h(
      'div',
      { class: 'notice ' + (r.ok ? '' : 'notice-warn') },
      icon(r.ok ? 'check' : 'alert'),
      h(
        'div',
        {},
        h('strong', { i18n: r.ok ? 'ws.valid' : 'ws.invalid', i18nArgs: { n: r.errors.length, w: r.warnings.length } }),
        r.errors.length || r.warnings.length ? h('ul', { class: 'ws-list' }, r.errors.map(line), r.warnings.map(line)) : null,
      ),
    ),
  );
  box.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// An exercise, step by step

async function startExercise(packId, exId, keep) {
  let s;
  try {
    s = await api.exerciseStart(packId, exId, lang());
  } catch (e) {
    showError(e);
    return;
  }
  clearError();
  const pack = st.pack && st.pack.id === packId ? st.pack : { id: packId };
  const prev = keep && keep.view === 'exercise' ? keep : null;
  st = {
    view: 'exercise',
    pack,
    ex: s.exercise,
    inputs: s.inputs,
    variant: s.variant,
    variants: s.variants,
    answer: prev ? prev.answer : '',
    original: prev ? prev.original : null,
    ticked: prev ? prev.ticked : new Set(),
    prompt: prev ? prev.prompt : null,
    edited: prev ? prev.edited : null,
    compared: prev ? prev.compared : [],
    model: prev ? prev.model : null,
    runId: prev ? prev.runId : null,
    generating: false,
  };
  renderExercise();
  if (st.answer) await check();
}

let el = {};

function renderExercise() {
  const ex = st.ex;
  el = {};
  const steps = h(
    'ol',
    { class: 'ws-steps', id: 'ws-steps', i18nAria: 'ws.steps' },
    ['values', 'prompt', 'answer', 'document'].map((k, i) => h('li', { class: 'ws-step-tab', dataset: { step: k } }, h('span', { class: 'ws-step-n', text: num(i + 1) }), h('span', { i18n: 'ws.step.' + k }))),
  );
  // 1. The values the exercise fills in.
  const values = Object.entries(ex.values || {}).map(([k, v]) => [h('dt', { dir: 'auto', text: k }), h('dd', { dir: 'auto', text: v })]);
  const files = Object.entries(ex.files || {}).map(([k, v]) => [h('dt', { dir: 'auto', text: k }), h('dd', { class: 'ws-file' }, icon('file'), h('span', { dir: 'auto', text: basename(v) }))]);
  // 2. The prompt, editable for one run.
  el.promptSystem = h('pre', { class: 'prompt-text ws-pre', id: 'ws-prompt-system', dir: 'auto' });
  el.promptUser = h('textarea', { class: 'ws-prompt', id: 'ws-prompt-user', dir: 'auto', readonly: true, rows: 12, spellcheck: 'false', i18nAria: 'ws.prompt_user' });
  el.promptUser.addEventListener('input', () => {
    st.edited = el.promptUser.value;
    el.promptState.hidden = false;
  });
  el.promptState = h('span', { class: 'chip ws-edited', id: 'ws-prompt-edited', i18n: 'ws.prompt_edited', hidden: true });
  const editBtn = h('button', { type: 'button', class: 'btn btn-small', id: 'ws-prompt-edit' }, icon('edit'), h('span', { i18n: 'ws.prompt_edit' }));
  editBtn.addEventListener('click', () => {
    el.promptUser.readOnly = false;
    el.promptUser.focus();
  });
  const resetBtn = h('button', { type: 'button', class: 'btn btn-small btn-ghost', id: 'ws-prompt-reset' }, icon('refresh'), h('span', { i18n: 'ws.prompt_reset' }));
  const resetPrompt = () => {
    st.edited = null;
    el.promptState.hidden = true;
    el.promptUser.readOnly = true;
    if (st.prompt) el.promptUser.value = st.prompt.user;
    el.compare.clear();
  };
  resetBtn.addEventListener('click', resetPrompt);
  // The answers before and after an edit of the prompt, side by side.
  el.compare = compareBox(st, resetPrompt);
  // 3. The answer, generated then edited.
  el.generate = h('button', { type: 'button', class: 'btn btn-primary', id: 'ws-generate' }, icon('play'), h('span', { i18n: 'ws.generate' }));
  el.generate.addEventListener('click', generate);
  el.stop = h('button', { type: 'button', class: 'btn btn-danger', id: 'ws-stop', hidden: true, onclick: () => api.cancelGeneration().catch(showError) }, icon('stop'), h('span', { i18n: 'ws.stop' }));
  el.answer = h('textarea', { class: 'ws-answer', id: 'ws-answer', dir: 'auto', rows: 14, i18nAria: 'ws.answer', value: st.answer });
  const recheck = debounce(() => check(), 250, 1000);
  el.answer.addEventListener('input', () => {
    st.answer = el.answer.value;
    el.preview.replaceChildren(renderMarkdown(st.answer));
    recheck();
  });
  el.preview = h('div', { class: 'markdown ws-preview', id: 'ws-answer-preview', dir: 'auto' }, renderMarkdown(st.answer || ''));
  el.genInfo = h('p', { class: 'ws-gen-info', id: 'ws-gen-info', 'aria-live': 'polite' });
  // 4. The document, and the rubric.
  el.rubric = h('div', { class: 'ws-rubric', id: 'ws-rubric', 'aria-live': 'polite' }, h('p', { class: 'empty-text', i18n: 'ws.rubric_empty' }));
  el.exportResult = h('p', { class: 'export-result', id: 'ws-export-result', hidden: true });
  const exportBtn = action({ id: 'ws-export-docx' }, 'ws.export_docx', async () => {
    if (!st.answer.trim()) return;
    const r = await api.exportAnswer(st.ex.template, st.inputs, st.answer, 'docx', st.model, st.runId, false, false);
    if (r) {
      el.exportResult.textContent = t('ws.exported', { path: basename(r.path) });
      el.exportResult.hidden = false;
    }
  }, 'download');
  const submitBtn = action({ class: 'btn-accent', id: 'ws-submit' }, 'ws.submit', async () => {
    if (!st.answer.trim()) return;
    const r = await api.submissionExport(st.pack.id, st.ex.id, st.answer, st.original, [...st.ticked]);
    if (r) toast('ws.submitted', { path: basename(r.path), passed: r.passed, total: r.total });
  }, 'upload');

  put(body, 
    h('button', { type: 'button', class: 'btn btn-ghost btn-small back-btn', id: 'ws-back-pack', onclick: () => showPack(st.pack.id) }, icon('back', 'flip-rtl'), h('span', { i18n: 'ws.back_pack' })),
    h(
      'div',
      { class: 'ws-ex-head' },
      h('h1', { class: 'page-title', id: 'ws-ex-title', dir: 'auto', text: ex.title }),
      h(
        'div',
        { class: 'ws-meta' },
        ex.day ? h('span', { class: 'chip', i18n: 'ws.day', i18nArgs: { n: ex.day } }) : null,
        ex.team ? h('span', { class: 'chip', i18n: 'ws.team' }) : null,
        h('span', { class: 'chip chip-quiet', dir: 'auto', text: ex.templateTitle || ex.template }),
        st.variant ? h('span', { class: 'chip chip-quiet', id: 'ws-variant', i18n: 'ws.variant', i18nArgs: { n: st.variant, of: st.variants } }) : null,
      ),
    ),
    h('section', { class: 'ws-instructions markdown', id: 'ws-instructions', dir: 'auto' }, renderMarkdown(ex.instructions || '')),
    steps,
    h('section', { class: 'ws-step', dataset: { step: 'values' } }, stepHead(1, 'values'), h('dl', { class: 'ws-values', id: 'ws-values' }, values, files)),
    h(
      'section',
      { class: 'ws-step', dataset: { step: 'prompt' } },
      stepHead(2, 'prompt'),
      h('p', { class: 'help', i18n: 'ws.prompt_help' }),
      h('details', { class: 'ws-system' }, h('summary', { i18n: 'ws.prompt_system' }), el.promptSystem),
      el.promptUser,
      h('div', { class: 'ws-row' }, editBtn, resetBtn, el.promptState),
    ),
    h('section', { class: 'ws-step', dataset: { step: 'answer' } }, stepHead(3, 'answer'), h('div', { class: 'ws-row' }, el.generate, el.stop, el.genInfo), h('div', { class: 'ws-answer-panes' }, el.answer, el.preview), el.compare.el),
    h('section', { class: 'ws-step', dataset: { step: 'document' } }, stepHead(4, 'document'), el.rubric, h('div', { class: 'ws-row' }, exportBtn, submitBtn), el.exportResult),
  );
  loadPrompt();
}

function stepHead(n, k) {
  return h('h2', { class: 'ws-step-title' }, h('span', { class: 'ws-step-n', text: num(n) }), h('span', { i18n: 'ws.step.' + k }), h('span', { class: 'ws-step-help', i18n: 'ws.step_help.' + k }));
}

async function loadPrompt() {
  const me = st;
  try {
    const p = await api.renderPrompt(me.ex.template, me.inputs, null, null);
    if (st !== me) return;
    me.prompt = p;
    el.promptSystem.textContent = p.system;
    el.promptUser.value = me.edited ?? p.user;
    el.promptState.hidden = me.edited == null;
  } catch (e) {
    if (st === me) showError(e);
  }
}

async function generate() {
  const me = st;
  if (me.generating) return;
  clearError();
  me.generating = true;
  el.generate.hidden = true;
  el.stop.hidden = false;
  me.answer = '';
  el.answer.value = '';
  el.answer.readOnly = true;
  setText(el.genInfo, 'ws.generating');
  const messages = me.edited != null && me.prompt ? [{ role: 'system', content: me.prompt.system }, { role: 'user', content: me.edited }] : null;
  try {
    const r = await api.generateWith(
      me.ex.template,
      me.inputs,
      null,
      (msg) => {
        if (st !== me || !msg || msg.event !== 'delta') return;
        me.answer += (msg.data && msg.data.text) || '';
        el.answer.value = me.answer;
      },
      messages,
      { pack: me.pack.id, exercise: me.ex.id },
    );
    if (st !== me) return;
    me.answer = r.text;
    me.original = r.text;
    me.model = r.model || null;
    me.runId = r.runId || null;
    el.answer.value = me.answer;
    setText(el.genInfo, 'ws.generated', { model: r.model || '', profile: r.profile || '' });
    el.compare.add({ text: r.text, user: messages ? messages[1].content : me.prompt ? me.prompt.user : '', edited: !!messages, model: r.model || '' });
  } catch (e) {
    if (st === me) {
      showError(e);
      el.genInfo.textContent = '';
    }
  } finally {
    me.generating = false;
    if (st === me) {
      el.generate.hidden = false;
      el.stop.hidden = true;
      el.answer.readOnly = false;
      el.preview.replaceChildren(renderMarkdown(me.answer));
      if (me.answer) await check();
    }
  }
}

/** The rubric on the answer as it stands (after each generation or edit). */
async function check() {
  const me = st;
  if (!me.answer.trim()) return;
  let r;
  try {
    r = await api.exerciseCheck(me.pack.id, me.ex.id, me.answer, [...me.ticked]);
  } catch (e) {
    if (st === me) showError(e);
    return;
  }
  if (st !== me || me.answer === undefined) return;
  renderRubric(el.rubric, r.rubric, r.flags, (id, on) => {
    if (on) me.ticked.add(id);
    else me.ticked.delete(id);
    check();
  });
}

/** A rubric result: the score, each check (passed or not, why, what it found), the flagged
 * numbers, and the self-check items (ticked through `onTick`, or read-only when null). */
function renderRubric(box, rubric, flags, onTick) {
  const checks = rubric.checks.map((c) =>
    h(
      'li',
      { class: 'ws-check ' + (c.ok ? 'ok' : 'fail'), dataset: { id: c.id, ok: String(c.ok) } },
      icon(c.ok ? 'check' : 'close', 'ws-check-icon'),
      h(
        'div',
        { class: 'ws-check-text' },
        h('strong', { dir: 'auto', text: loc(c.title) }),
        h('span', { class: 'ws-check-explain', dir: 'auto', text: loc(c.explain) }),
        loc(c.detail) ? h('span', { class: 'ws-check-detail', dir: 'auto', text: loc(c.detail) }) : null,
        c.findings && c.findings.length ? h('span', { class: 'ws-findings' }, c.findings.slice(0, 6).map((f) => h('mark', { dir: 'auto', text: f.text }))) : null,
      ),
    ),
  );
  const self = rubric.self_check.map((s) => {
    const cb = h('input', { type: 'checkbox', class: 'check', dataset: { id: s.id }, checked: s.ticked, disabled: !onTick });
    if (onTick) cb.addEventListener('change', () => onTick(s.id, cb.checked));
    return h('li', { class: 'ws-self-item' }, h('label', {}, cb, h('span', { dir: 'auto', text: loc(s.text) })));
  });
  put(box,
    h('p', { class: 'ws-score ' + (rubric.ok ? 'ok' : 'fail'), id: 'ws-score', i18n: 'ws.score', i18nArgs: { passed: rubric.passed, total: rubric.total } }),
    h('ul', { class: 'ws-checks' }, checks),
    flags && flags.length
      ? h('div', { class: 'notice notice-warn ws-flags' }, icon('alert'), h('div', {}, h('strong', { i18n: 'ws.flags', i18nArgs: { n: flags.length } }), h('ul', { class: 'ws-list' }, flags.map((f) => h('li', { dir: 'auto', text: t('ws.flag_line', { line: f.line, text: f.text }) })))))
      : null,
    self.length ? h('div', { class: 'ws-self' }, h('h3', { class: 'ws-h3', i18n: 'ws.self_check' }), h('ul', { class: 'ws-list' }, self)) : null,
  );
}

// ---------------------------------------------------------------------------------------------
// Peer review: a peer's submission, reviewed against the same rubric

function renderReview() {
  const s = st.sub;
  const sub = s.submission;
  // The review being written lives in `st`, not in the inputs: a change of language re-renders
  // the screen and must not lose the score, the comment or the items ticked.
  const d = st.draft || (st.draft = { score: '10', comment: '', ticked: new Set((sub.self_check || []).filter((x) => x.ticked).map((x) => x.id)) });
  const ticked = d.ticked;
  const score = h('input', { type: 'number', id: 'ws-review-score', class: 'ws-input ws-input-short', min: 0, max: 20, step: 1, value: d.score });
  score.addEventListener('input', () => (d.score = score.value));
  const comment = h('textarea', { id: 'ws-review-comment', class: 'ws-comment-input', rows: 4, dir: 'auto', i18nPlaceholder: 'ws.review_comment' });
  comment.value = d.comment;
  comment.addEventListener('input', () => (d.comment = comment.value));
  const rubricBox = h('div', { class: 'ws-rubric', id: 'ws-review-rubric' });
  if (s.recheck) {
    // The boxes show the reviewer's judgement (the author's ticks to start with).
    const shown = { ...s.recheck, self_check: (s.recheck.self_check || []).map((x) => ({ ...x, ticked: ticked.has(x.id) })) };
    renderRubric(rubricBox, shown, [], (id, on) => (on ? ticked.add(id) : ticked.delete(id)));
  } else rubricBox.replaceChildren(h('p', { class: 'notice notice-warn', i18n: 'ws.review_no_pack' }));
  const write = action({ class: 'btn-primary', id: 'ws-review-write' }, 'ws.review_write', async () => {
    const n = Math.round(Number(score.value));
    const r = await api.reviewWrite(s.path, Number.isFinite(n) ? Math.max(0, Math.min(20, n)) : 0, comment.value, [...ticked]);
    if (r) toast('ws.review_written', { path: basename(r.path) });
  }, 'check');
  put(body, 
    h('button', { type: 'button', class: 'btn btn-ghost btn-small back-btn', id: 'ws-back-packs', onclick: () => showPacks() }, icon('back', 'flip-rtl'), h('span', { i18n: 'ws.back_packs' })),
    h('h1', { class: 'page-title', i18n: 'ws.review_title', i18nArgs: { name: sub.learner.name } }),
    h('p', { class: 'home-lead', dir: 'auto', text: loc(sub.exercise.title) || sub.exercise.id }),
    s.consistent === false ? h('p', { class: 'notice notice-warn', i18n: 'ws.review_inconsistent' }) : null,
    h('section', { class: 'ws-step' }, h('h2', { class: 'ws-h2', i18n: 'ws.answer' }), h('div', { class: 'markdown ws-preview', id: 'ws-review-answer', dir: 'auto' }, renderMarkdown(sub.answer))),
    h('section', { class: 'ws-step' }, h('h2', { class: 'ws-h2', i18n: 'ws.rubric' }), rubricBox),
    h('section', { class: 'ws-step' }, h('h2', { class: 'ws-h2', i18n: 'ws.review_yours' }), h('label', { class: 'field-label', for: 'ws-review-score', i18n: 'ws.review_score' }), score, comment, h('div', { class: 'ws-row' }, write)),
  );
}

// ---------------------------------------------------------------------------------------------
// The trainer's results table: exercise by learner

/** An exercise column's heading: its title in the window's language, from a submission of it. */
function columnTitle(r, c) {
  const row = r.rows.find((x) => x.pack === c.pack && x.exercise === c.exercise);
  return (row && loc(row.title)) || c.exercise;
}

function renderResults() {
  const r = st.results;
  const cols = r.columns;
  const cell = (learnerName, c) => {
    const row = r.rows.find((x) => x.learner === learnerName && x.pack === c.pack && x.exercise === c.exercise);
    if (!row) return h('td', { class: 'ws-cell-empty', text: '—' });
    const peer = row.peer_mean != null ? ' · ' + t('ws.peer_mean', { n: num(row.peer_mean, { maximumFractionDigits: 1 }) }) : '';
    return h('td', { class: row.passed === row.total ? 'ok' : 'fail', title: row.failed.map(loc).join(' ; '), text: `${row.passed}/${row.total}${peer}` });
  };
  const table = h(
    'table',
    { class: 'md-table ws-results', id: 'ws-results-table' },
    h('thead', {}, h('tr', {}, h('th', { i18n: 'ws.learner' }), cols.map((c) => h('th', { dir: 'auto', title: c.exercise, text: `${num(c.number)}. ${columnTitle(r, c)}` })))),
    h('tbody', {}, r.learners.map((l) => h('tr', {}, h('th', { dir: 'auto', text: l.team ? `${l.name} (${l.team})` : l.name }), cols.map((c) => cell(l.name, c))))),
  );
  put(body, 
    h('button', { type: 'button', class: 'btn btn-ghost btn-small back-btn', id: 'ws-back-packs', onclick: () => showPacks() }, icon('back', 'flip-rtl'), h('span', { i18n: 'ws.back_packs' })),
    h('h1', { class: 'page-title', i18n: 'ws.results_title' }),
    // The folder left to right in its own box: in Arabic a path's leading "/" would move to its end.
    h('p', { class: 'home-lead' }, h('span', { i18n: 'ws.results_lead', i18nArgs: { n: r.rows.length, reviews: r.reviews.length } }), ' ', h('code', { dir: 'ltr', text: String(r.dir || '') })),
    r.skipped.length ? h('ul', { class: 'notice notice-warn ws-list' }, r.skipped.map(([p, why]) => h('li', { dir: 'auto', text: `${basename(p)} : ${why}` }))) : null,
    h('div', { class: 'ws-table-wrap' }, table),
    h(
      'div',
      { class: 'ws-row' },
      action({ id: 'ws-results-export' }, 'ws.results_export', async () => {
        const p = await api.resultsExport(r.dir, lang());
        if (p) toast('ws.exported', { path: basename(p) });
      }, 'download'),
    ),
  );
}

// Re-translate the static keys when the language changes without a rebuild.
export function relabel() {
  translate(root);
}
