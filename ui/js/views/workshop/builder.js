// The trainer's pack builder ("Créer un atelier"), reached from the Formation screen: the packs
// in progress, a new pack (title, objectives, audience, duration, languages, version), an
// exercise added to one (a built-in or personal template, instructions in French and Arabic,
// the form's values from the template's sample or typed, input files, the rubric's checks and
// self-check items), "Enregistrer pour l'entraînement" (answers recorded from a configured
// endpoint, one line per answer saved), "Vérifier" (each problem with its file and line) and
// "Exporter" (.katib through the save dialog).
//
// Deliberately not here: what a pack file holds and which exercise is acceptable (katib-workshop
// writes the files and its loader judges them: a refusal names the line), recording itself (the
// shell's pack_record). Everything typed or read from a pack is set as text, never as markup.

import * as api from '../../api.js';
import { h, icon, basename, showError, clearError, toast, navigate } from '../../dom.js';
import { t, lang, num, iso } from '../../i18n.js';

/** Shared with workshop.js: the screen's body and its helpers. */
let ctx = null;
/** The builder's state: the packs in progress, the one open, and what its forms hold. */
let bs = { drafts: [], current: null, adding: false, templates: null, recording: false };
let el = {};

const CHECK_TYPES = ['parts', 'closing', 'length', 'facts', 'personal', 'references', 'register', 'language'];
const ADDRESSEES = ['citizen', 'superior', 'peer', 'company'];
const PARTS = ['objet', 'ref', 'pj'];
const LANGS = ['fr', 'ar', 'en'];

export function init(shared) {
  ctx = shared;
}

/** Shows the builder: the packs in progress, the one open (if any) with its tools. */
export async function show() {
  clearError();
  await refreshDrafts();
  render();
}

async function refreshDrafts() {
  try {
    bs.drafts = await api.draftList();
  } catch (e) {
    showError(e);
    bs.drafts = [];
  }
  if (bs.current && !bs.drafts.some((d) => d.id === bs.current)) bs.current = null;
}

/** A span showing a Localized text `{fr, ar, en}` in the UI's language; it follows a language
 * change ([`relang`]). */
function locSpan(props, value, fallback) {
  return h('span', { ...props, dataset: { ...(props.dataset || {}), loc: JSON.stringify(value || null), fallback: fallback || '' }, text: ctx.loc(value) || fallback || '' });
}

/** After a language change: the dictionary's texts are translated by the caller (forms keep what
 * was typed); the pack's own texts and the attributes the dictionary does not set follow here. */
export function relang() {
  for (const e of ctx.body.querySelectorAll('[data-loc]')) e.textContent = ctx.loc(JSON.parse(e.dataset.loc)) || e.dataset.fallback || '';
  for (const g of ctx.body.querySelectorAll('optgroup[data-group]')) g.label = t('wsb.group_' + g.dataset.group);
}

function current() {
  return bs.drafts.find((d) => d.id === bs.current) || null;
}

/** A text in French and in Arabic, side by side (French on the left in every UI language). */
function pair(id, labelKey, opts = {}) {
  const make = (l) => {
    // The language's own direction whatever the UI's: French typed left to right, Arabic right to left.
    const props = { id: `${id}-${l}`, class: 'ws-input wsb-input', dir: l === 'ar' ? 'rtl' : 'ltr', lang: l, autocomplete: 'off' };
    const c = opts.multiline ? h('textarea', { ...props, rows: opts.rows || 3, class: 'ws-comment-input wsb-input' }) : h('input', { ...props, type: 'text' });
    return h('label', { class: 'wsb-lang-cell', dir: l === 'ar' ? 'rtl' : 'ltr' }, h('span', { class: 'wsb-lang-tag', i18n: `wsb.lang_${l}` }), c);
  };
  return h(
    'div',
    { class: 'wsb-field' },
    h('span', { class: 'field-label', i18n: labelKey }),
    opts.help ? h('span', { class: 'help', i18n: opts.help }) : null,
    h('div', { class: 'wsb-pair' }, make('fr'), make('ar')),
  );
}

/** `{fr, ar}` from a pair (null when both are empty; Arabic left out when empty). */
function pairValue(box, id) {
  const fr = box.querySelector(`#${id}-fr`).value.trim();
  const ar = box.querySelector(`#${id}-ar`).value.trim();
  if (!fr && !ar) return null;
  return ar ? { fr, ar } : { fr };
}

/** The lines of a pair's two textareas, matched by position: `[{fr, ar?}]`. */
function pairLines(box, id) {
  const lines = (l) => box.querySelector(`#${id}-${l}`).value.split('\n').map((x) => x.trim()).filter(Boolean);
  const fr = lines('fr');
  const ar = lines('ar');
  return fr.map((f, i) => (ar[i] ? { fr: f, ar: ar[i] } : { fr: f }));
}

function lines(text) {
  return String(text || '').split('\n').map((x) => x.trim()).filter(Boolean);
}

/** A notice inside the builder: what failed (in the UI's language) and the shell's detail. */
function failure(box, key, e, args) {
  box.replaceChildren(
    h(
      'div',
      { class: 'notice notice-warn wsb-failure' },
      icon('alert'),
      h('div', {}, h('strong', { i18n: key, i18nArgs: args }), h('p', { class: 'wsb-detail', dir: 'ltr', text: (e && e.message) || String(e) }), e && e.code ? h('code', { class: 'wsb-code', text: e.code }) : null),
    ),
  );
  box.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// The screen

function render() {
  el = {};
  const d = current();
  ctx.put(
    ctx.body,
    h('button', { type: 'button', class: 'btn btn-ghost btn-small back-btn', id: 'wsb-back', onclick: () => ctx.back() }, icon('back', 'flip-rtl'), h('span', { i18n: 'ws.back_packs' })),
    h('h1', { class: 'page-title', i18n: 'wsb.title' }),
    h('p', { class: 'home-lead', i18n: 'wsb.lead' }),
    h('div', { class: 'wsb-layout' }, draftsPanel(), h('div', { class: 'wsb-main', id: 'wsb-main' }, d ? draftPanel(d) : newPackForm())),
  );
}

function draftsPanel() {
  const items = bs.drafts.map((d) =>
    h(
      'button',
      { type: 'button', class: 'wsb-draft' + (d.id === bs.current ? ' selected' : ''), dataset: { id: d.id }, 'aria-pressed': String(d.id === bs.current), onclick: () => openDraft(d.id) },
      locSpan({ class: 'wsb-draft-title', dir: 'auto' }, d.title, d.id),
      h('span', { class: 'ws-meta' }, h('span', { class: 'chip chip-quiet', i18n: d.exercises.length === 1 ? 'ws.exercises_one' : 'ws.exercises_n', i18nArgs: { n: d.exercises.length } }), h('span', { class: 'ws-version', i18n: 'ws.version', i18nArgs: { v: d.version } })),
    ),
  );
  return h(
    'aside',
    { class: 'wsb-side', id: 'wsb-drafts' },
    h('h2', { class: 'ws-h2', i18n: 'wsb.drafts' }),
    items.length ? h('div', { class: 'wsb-draft-list' }, items) : h('p', { class: 'empty-text', i18n: 'wsb.no_drafts' }),
    h('button', { type: 'button', class: 'btn btn-small' + (bs.current ? '' : ' selected'), id: 'wsb-new', onclick: () => openDraft(null) }, icon('plus'), h('span', { i18n: 'wsb.new' })),
  );
}

function openDraft(id) {
  clearError();
  bs.current = id;
  bs.adding = false;
  render();
}

// ---------------------------------------------------------------------------------------------
// A new pack

function newPackForm() {
  const box = h('section', { class: 'ws-step wsb-form', id: 'wsb-new-form' });
  const version = h('input', { type: 'text', id: 'wsb-version', class: 'ws-input ws-input-short', dir: 'ltr', value: '1.0', autocomplete: 'off' });
  const authors = h('input', { type: 'text', id: 'wsb-authors', class: 'ws-input wsb-wide', dir: 'auto', autocomplete: 'off', i18nPlaceholder: 'wsb.authors_ph' });
  const langs = LANGS.map((l) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', id: `wsb-lang-${l}`, checked: l !== 'en', disabled: l === 'fr' }), h('span', { i18n: `wsb.lang_${l}` })),
  );
  const err = h('div', { id: 'wsb-create-error', hidden: true });
  const create = ctx.action({ class: 'btn-primary', id: 'wsb-create' }, 'wsb.create', async () => {
    err.hidden = true;
    const title = pairValue(box, 'wsb-title');
    const pack = {
      title: title || { fr: '' },
      description: pairValue(box, 'wsb-desc'),
      objectives: pairLines(box, 'wsb-objectives'),
      audience: pairValue(box, 'wsb-audience'),
      duration: pairValue(box, 'wsb-duration'),
      authors: authors.value.split(',').map((x) => x.trim()).filter(Boolean),
      version: version.value.trim(),
      languages: LANGS.filter((l) => box.querySelector(`#wsb-lang-${l}`).checked),
    };
    let d;
    try {
      d = await api.draftCreate(pack);
    } catch (e) {
      failure(err, 'wsb.create_failed', e);
      return;
    }
    toast('wsb.created', { title: ctx.loc(d.title) });
    bs.current = d.id;
    await refreshDrafts();
    render();
  }, 'check');
  box.append(
    h('h2', { class: 'ws-step-title', i18n: 'wsb.new_title' }),
    pair('wsb-title', 'wsb.pack_title'),
    pair('wsb-desc', 'wsb.description', { multiline: true, rows: 2 }),
    pair('wsb-objectives', 'wsb.objectives', { multiline: true, rows: 3, help: 'wsb.objectives_help' }),
    pair('wsb-audience', 'wsb.audience'),
    pair('wsb-duration', 'wsb.duration'),
    h(
      'div',
      { class: 'wsb-inline' },
      h('div', { class: 'wsb-field' }, h('span', { class: 'field-label', i18n: 'wsb.languages' }), h('div', { class: 'ws-row wsb-checks-row' }, langs)),
      h('label', { class: 'wsb-field' }, h('span', { class: 'field-label', i18n: 'wsb.version' }), version),
      h('label', { class: 'wsb-field wsb-grow' }, h('span', { class: 'field-label', i18n: 'wsb.authors' }), authors),
    ),
    err,
    h('div', { class: 'ws-row' }, create),
  );
  return box;
}

// ---------------------------------------------------------------------------------------------
// A pack in progress: its exercises, then record, check, export

function draftPanel(d) {
  el.validation = h('div', { id: 'wsb-validation', class: 'wsb-result', hidden: true });
  el.exportResult = h('div', { id: 'wsb-export-result', class: 'wsb-result', hidden: true });
  const exercises = d.exercises.length
    ? h(
        'ol',
        { class: 'ws-exercises', id: 'wsb-exercises' },
        d.exercises.map((x, i) =>
          h(
            'li',
            { class: 'ws-ex-item', dataset: { id: x.id } },
            h('span', { class: 'ws-ex-num', text: num(i + 1) }),
            h('span', { class: 'ws-ex-text' }, locSpan({ class: 'ws-ex-title', dir: 'auto' }, x.title, x.id), h('span', { class: 'ws-ex-sub', dir: 'ltr', text: `${x.template} · ${x.file}` })),
            h('span', { class: 'chip' + (x.answers ? ' chip-ok' : ' chip-warn'), dataset: { answers: String(x.answers) }, i18n: 'wsb.answers_n', i18nArgs: { n: x.answers } }),
            h('span', { class: 'chip chip-quiet', i18n: 'wsb.checks_n', i18nArgs: { n: x.checks } }),
          ),
        ),
      )
    : h('p', { class: 'empty-text', id: 'wsb-exercises-empty', i18n: 'wsb.no_exercises' });
  const add = h('button', { type: 'button', class: 'btn btn-accent', id: 'wsb-add', onclick: () => openExerciseForm() }, icon('plus'), h('span', { i18n: 'wsb.add' }));
  const validate = ctx.action({ id: 'wsb-validate' }, 'wsb.validate', async () => {
    const r = await api.packValidate(d.id);
    if (r) showValidation(r);
  }, 'check');
  const exportBtn = ctx.action({ id: 'wsb-export' }, 'wsb.export', async () => {
    el.exportResult.hidden = true;
    let r;
    try {
      r = await api.packExport(d.id);
    } catch (e) {
      failure(el.exportResult, 'wsb.export_failed', e);
      return;
    }
    if (!r) return;
    el.exportResult.replaceChildren(
      h('p', { class: 'notice notice-ok' }, icon('check'), h('span', { id: 'wsb-exported', dataset: { path: r.out }, i18n: 'wsb.exported', i18nArgs: { path: iso(basename(r.out)), n: r.files } })),
    );
    el.exportResult.hidden = false;
  }, 'download');
  el.exerciseForm = h('div', { id: 'wsb-ex-slot' });
  return h(
    'div',
    { class: 'wsb-draft-panel', id: 'wsb-draft', dataset: { id: d.id } },
    h(
      'section',
      { class: 'ws-step' },
      h('h2', { class: 'ws-step-title' }, locSpan({ id: 'wsb-draft-title', dir: 'auto' }, d.title, d.id), h('span', { class: 'ws-version', i18n: 'ws.version', i18nArgs: { v: d.version } })),
      h('p', { class: 'help wsb-path', dir: 'ltr', text: d.dir }),
      h('h3', { class: 'ws-h3', i18n: 'wsb.exercises' }),
      exercises,
      h('div', { class: 'ws-row' }, add),
      el.exerciseForm,
    ),
    recordPanel(d),
    h(
      'section',
      { class: 'ws-step' },
      h('h2', { class: 'ws-step-title' }, h('span', { class: 'ws-step-n', text: num(3) }), h('span', { i18n: 'wsb.verify_title' }), h('span', { class: 'ws-step-help', i18n: 'wsb.verify_help' })),
      h('div', { class: 'ws-row' }, validate, exportBtn),
      el.validation,
      el.exportResult,
    ),
  );
}

/** Each problem of the check: its file and line, then the message. */
function showValidation(r) {
  const row = (x, kind) =>
    h(
      'li',
      { class: 'wsb-problem ' + kind, dataset: { file: x.file || '', line: x.line != null ? String(x.line) : '' } },
      h('span', { class: 'wsb-where', dir: 'ltr', text: x.file ? x.file + (x.line ? ':' + x.line : '') : '—' }),
      h('span', { class: 'wsb-msg', dir: 'ltr', text: x.message }),
    );
  ctx.put(
    el.validation,
    h(
      'div',
      { class: 'notice ' + (r.ok ? 'notice-ok' : 'notice-warn'), id: 'wsb-validation-head', dataset: { ok: String(r.ok) } },
      icon(r.ok ? 'check' : 'alert'),
      h('strong', { i18n: r.ok ? 'ws.valid' : 'ws.invalid', i18nArgs: { n: r.errors.length, w: r.warnings.length } }),
    ),
    r.errors.length || r.warnings.length ? h('ul', { class: 'wsb-problems', id: 'wsb-problems' }, r.errors.map((x) => row(x, 'error')), r.warnings.map((x) => row(x, 'warning'))) : null,
  );
  el.validation.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// "Enregistrer pour l'entraînement"

function recordPanel(d) {
  const box = h('section', { class: 'ws-step', id: 'wsb-record-panel' });
  el.recordLog = h('ol', { class: 'wsb-record-log', id: 'wsb-record-log', 'aria-live': 'polite' });
  el.recordStatus = h('p', { class: 'ws-gen-info', id: 'wsb-record-status', 'aria-live': 'polite' });
  el.recordError = h('div', { id: 'wsb-record-error', hidden: true });
  const profile = h('select', { id: 'wsb-profile', class: 'ws-input' });
  const variants = h('input', { type: 'number', id: 'wsb-variants', class: 'ws-input wsb-num', min: 1, max: 10, step: 1, value: '1' });
  const go = h('button', { type: 'button', class: 'btn btn-primary', id: 'wsb-record' }, icon('play'), h('span', { i18n: 'wsb.record' }));
  const stop = h('button', { type: 'button', class: 'btn btn-danger', id: 'wsb-record-stop', hidden: true, onclick: () => api.cancelGeneration().catch(showError) }, icon('stop'), h('span', { i18n: 'ws.stop' }));
  const noProfile = h('div', { class: 'notice notice-warn', id: 'wsb-no-profile', hidden: true }, icon('alert'), h('div', {}, h('span', { i18n: 'wsb.no_profile' }), ' ', h('button', { type: 'button', class: 'link-btn', onclick: () => navigate('settings') }, h('span', { i18n: 'wsb.to_settings' }))));
  box.append(
    h('h2', { class: 'ws-step-title' }, h('span', { class: 'ws-step-n', text: num(2) }), h('span', { i18n: 'wsb.record_title' }), h('span', { class: 'ws-step-help', i18n: 'wsb.record_help' })),
    noProfile,
    h(
      'div',
      { class: 'wsb-inline' },
      h('label', { class: 'wsb-field' }, h('span', { class: 'field-label', i18n: 'wsb.profile' }), profile),
      h('label', { class: 'wsb-field' }, h('span', { class: 'field-label', i18n: 'wsb.variants' }), variants),
    ),
    h('div', { class: 'ws-row' }, go, stop, el.recordStatus),
    el.recordError,
    el.recordLog,
  );
  // The endpoints configured (practice mode cannot record: it only replays).
  api.listProfiles().then(
    (p) => {
      const names = (p.profiles || []).map((x) => x.name);
      profile.replaceChildren(...names.map((n) => h('option', { value: n, dir: 'auto', text: n })));
      if (p.default && names.includes(p.default)) profile.value = p.default;
      noProfile.hidden = names.length > 0;
      go.disabled = !names.length || !d.exercises.length;
    },
    (e) => showError(e),
  );
  go.disabled = true;
  go.addEventListener('click', async () => {
    if (bs.recording) return;
    bs.recording = true;
    clearError();
    el.recordError.hidden = true;
    el.recordLog.replaceChildren();
    go.hidden = true;
    stop.hidden = false;
    let n = 0;
    el.recordStatus.dataset.state = 'running';
    el.recordStatus.replaceChildren(h('span', { i18n: 'wsb.recording', i18nArgs: { profile: profile.value } }));
    const count = Math.max(1, Math.min(10, Math.round(Number(variants.value)) || 1));
    try {
      const all = await api.packRecord(d.id, profile.value, count, null, (msg) => {
        if (!msg || msg.event !== 'recorded') return;
        const r = msg.data;
        n += 1;
        el.recordLog.append(
          h(
            'li',
            { class: 'wsb-recorded' + (r.truncated ? ' truncated' : ''), dataset: { exercise: r.exercise, file: r.file } },
            h('strong', { dir: 'ltr', text: r.exercise }),
            h('span', { i18n: 'wsb.recorded_line', i18nArgs: { words: r.words, model: iso(r.model), date: iso(r.date), file: iso(basename(r.file)) } }),
            r.truncated ? h('span', { class: 'chip chip-warn', i18n: 'wsb.truncated' }) : null,
          ),
        );
      });
      el.recordStatus.dataset.state = 'done';
      el.recordStatus.replaceChildren(h('span', { i18n: 'wsb.recorded', i18nArgs: { n: all.length } }));
      await refreshDrafts();
      // The exercises' answer counts change: the list above follows, the log stays.
      const log = [...el.recordLog.childNodes];
      const status = el.recordStatus.cloneNode(true);
      render();
      el.recordLog.replaceChildren(...log);
      el.recordStatus.replaceWith(status);
      el.recordStatus = status;
    } catch (e) {
      el.recordStatus.dataset.state = 'failed';
      el.recordStatus.replaceChildren(h('span', { i18n: 'wsb.record_partial', i18nArgs: { n } }));
      failure(el.recordError, 'wsb.record_failed', e);
    } finally {
      bs.recording = false;
      go.hidden = false;
      stop.hidden = true;
    }
  });
  return box;
}

// ---------------------------------------------------------------------------------------------
// An exercise added to the pack

async function openExerciseForm() {
  if (bs.adding) return;
  bs.adding = true;
  if (!bs.templates) {
    try {
      bs.templates = await api.editorList(lang());
    } catch (e) {
      showError(e);
      bs.adding = false;
      return;
    }
  }
  const d = current();
  const box = h('section', { class: 'wsb-form wsb-ex-form', id: 'wsb-ex-form' });
  const tplSelect = h(
    'select',
    { id: 'wsb-ex-template', class: 'ws-input wsb-wide' },
    h('option', { value: '', i18n: 'wsb.pick_template' }),
    h('optgroup', { dataset: { group: 'builtin' }, label: '' }, bs.templates.filter((x) => x.builtin).map((x) => h('option', { value: x.id, dir: 'auto', text: `${x.title} (${x.id})` }))),
    h('optgroup', { dataset: { group: 'user' }, label: '' }, bs.templates.filter((x) => !x.builtin).map((x) => h('option', { value: x.id, dir: 'auto', text: `${x.title} (${x.id})` }))),
  );
  // An optgroup's label is an attribute the dictionary helpers do not set: set here.
  tplSelect.querySelector('optgroup[data-group="builtin"]').label = t('wsb.group_builtin');
  tplSelect.querySelector('optgroup[data-group="user"]').label = t('wsb.group_user');
  if (!tplSelect.querySelector('optgroup[data-group="user"] option')) tplSelect.querySelector('optgroup[data-group="user"]').remove();
  const day = h('input', { type: 'number', id: 'wsb-ex-day', class: 'ws-input wsb-num', min: 1, max: 30, step: 1 });
  const team = h('input', { type: 'checkbox', id: 'wsb-ex-team' });
  const language = h('select', { id: 'wsb-ex-language', class: 'ws-input' }, h('option', { value: '', i18n: 'wsb.lang_auto' }), LANGS.map((l) => h('option', { value: l, i18n: `wsb.lang_${l}` })));
  const inputs = { values: {}, files: {}, fields: [] };
  const valuesBox = h('div', { class: 'wsb-values', id: 'wsb-ex-values' }, h('p', { class: 'help', i18n: 'wsb.values_pick_first' }));
  const sample = ctx.action({ class: 'btn-small', id: 'wsb-ex-sample' }, 'wsb.load_sample', async () => {
    if (!tplSelect.value) return;
    const s = await api.loadSample(tplSelect.value, null);
    inputs.values = { ...(s.values || {}) };
    inputs.files = { ...(s.files || {}) };
    renderValues();
  }, 'refresh');
  sample.disabled = true;
  const checks = [];
  const checksBox = h('ol', { class: 'wsb-check-list', id: 'wsb-ex-checks' });
  const checkType = h('select', { id: 'wsb-ex-check-type', class: 'ws-input' }, CHECK_TYPES.map((k) => h('option', { value: k, i18n: 'wsb.check.' + k })));
  const addCheck = h('button', { type: 'button', class: 'btn btn-small', id: 'wsb-ex-check-add' }, icon('plus'), h('span', { i18n: 'wsb.check_add' }));
  addCheck.addEventListener('click', () => {
    checks.push(newCheck(checkType.value));
    renderChecks();
  });
  const err = h('div', { id: 'wsb-ex-error', hidden: true });
  const save = ctx.action({ class: 'btn-primary', id: 'wsb-ex-save' }, 'wsb.ex_save', async () => {
    err.hidden = true;
    readValues();
    const spec = {
      title: pairValue(box, 'wsb-ex-title') || { fr: '' },
      instructions: pairValue(box, 'wsb-ex-instr') || { fr: '' },
      template: tplSelect.value,
      day: day.value ? Math.round(Number(day.value)) : null,
      team: team.checked,
      language: language.value || null,
      values: Object.fromEntries(Object.entries(inputs.values).filter(([, v]) => String(v).trim() !== '')),
      files: inputs.files,
      checks: checks.map((c) => c.spec()),
      selfCheck: pairLines(box, 'wsb-ex-self'),
    };
    if (!spec.template) {
      failure(err, 'wsb.add_failed', { code: 'usage', message: t('wsb.pick_template') });
      return;
    }
    let added;
    try {
      added = await api.draftAddExercise(d.id, spec);
    } catch (e) {
      failure(err, 'wsb.add_failed', e);
      return;
    }
    toast('wsb.added', { id: added.id });
    bs.adding = false;
    await refreshDrafts();
    render();
  }, 'check');
  const cancel = h('button', { type: 'button', class: 'btn btn-ghost', id: 'wsb-ex-cancel', onclick: () => { bs.adding = false; box.remove(); } }, h('span', { i18n: 'wsb.cancel' }));

  tplSelect.addEventListener('change', async () => {
    sample.disabled = !tplSelect.value;
    inputs.values = {};
    inputs.files = {};
    inputs.fields = [];
    if (!tplSelect.value) return renderValues();
    try {
      const t = await api.getTemplate(tplSelect.value, lang());
      inputs.fields = t.fields || [];
    } catch (e) {
      showError(e);
    }
    renderValues();
  });

  /** The template's fields as a small form: typed, or filled from its sample. */
  function renderValues() {
    if (!inputs.fields.length) {
      valuesBox.replaceChildren(h('p', { class: 'help', i18n: tplSelect.value ? 'wsb.no_fields' : 'wsb.values_pick_first' }));
      return;
    }
    const rows = inputs.fields.map((f) => {
      const label = h('span', { class: 'wsb-value-name' }, h('span', { dir: 'auto', text: f.label || f.name }), h('code', { dir: 'ltr', text: f.name }));
      if (f.type === 'file') {
        const shown = h('span', { class: 'ws-file', dataset: { field: f.name } }, icon('file'), h('span', { dir: 'auto', text: inputs.files[f.name] ? basename(inputs.files[f.name]) : '—' }));
        const pick = h('button', { type: 'button', class: 'btn btn-small', dataset: { field: f.name } }, icon('upload'), h('span', { i18n: 'wsb.pick_file' }));
        pick.addEventListener('click', async () => {
          try {
            const p = await api.pickFile(f.accept || []);
            if (p) {
              inputs.files[f.name] = p;
              renderValues();
            }
          } catch (e) {
            showError(e);
          }
        });
        const clear = inputs.files[f.name] ? h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: () => { delete inputs.files[f.name]; renderValues(); } }, icon('close'), h('span', { i18n: 'wsb.remove' })) : null;
        return h('div', { class: 'wsb-value' }, label, h('div', { class: 'ws-row wsb-file-row' }, shown, pick, clear));
      }
      const v = inputs.values[f.name] ?? '';
      let c;
      if (f.type === 'select' && (f.options || []).length) {
        c = h('select', { class: 'ws-input', name: f.name }, h('option', { value: '' }), f.options.map((o) => h('option', { value: o.value, dir: 'auto', text: o.label })));
        if (![...c.options].some((o) => o.value === v) && v) c.append(h('option', { value: v, dir: 'auto', text: v }));
        c.value = v;
      } else if (f.type === 'textarea' || String(v).includes('\n')) {
        c = h('textarea', { class: 'ws-comment-input', name: f.name, rows: 3, dir: 'auto', value: v });
      } else {
        c = h('input', { type: 'text', class: 'ws-input', name: f.name, dir: 'auto', autocomplete: 'off', value: v });
      }
      c.dataset.field = f.name;
      return h('label', { class: 'wsb-value' }, label, c);
    });
    valuesBox.replaceChildren(...rows);
  }

  function readValues() {
    for (const c of valuesBox.querySelectorAll('[data-field]:is(input, textarea, select)')) inputs.values[c.dataset.field] = c.value;
  }

  function renderChecks() {
    checksBox.replaceChildren(
      ...checks.map((c, i) => {
        const remove = h('button', { type: 'button', class: 'btn btn-small btn-ghost wsb-check-remove', i18nAria: 'wsb.remove', onclick: () => { checks.splice(i, 1); renderChecks(); } }, icon('trash'));
        return h('li', { class: 'wsb-check', dataset: { type: c.type } }, h('div', { class: 'wsb-check-head' }, h('strong', { i18n: 'wsb.check.' + c.type }), h('span', { class: 'help', i18n: 'wsb.check_help.' + c.type }), remove), c.ui);
      }),
    );
  }

  box.append(
    h('h3', { class: 'ws-h3', i18n: 'wsb.ex_title' }),
    h('label', { class: 'wsb-field' }, h('span', { class: 'field-label', i18n: 'wsb.template' }), tplSelect),
    pair('wsb-ex-title', 'wsb.ex_name'),
    pair('wsb-ex-instr', 'wsb.instructions', { multiline: true, rows: 4, help: 'wsb.instructions_help' }),
    h(
      'div',
      { class: 'wsb-inline' },
      h('label', { class: 'wsb-field' }, h('span', { class: 'field-label', i18n: 'wsb.day' }), day),
      h('label', { class: 'wsb-field' }, h('span', { class: 'field-label', i18n: 'wsb.answer_lang' }), language),
      h('label', { class: 'check wsb-team' }, team, h('span', { i18n: 'ws.team' })),
    ),
    h('div', { class: 'wsb-field' }, h('div', { class: 'wsb-field-head' }, h('span', { class: 'field-label', i18n: 'wsb.values' }), sample), h('span', { class: 'help', i18n: 'wsb.values_help' }), valuesBox),
    h(
      'div',
      { class: 'wsb-field' },
      h('span', { class: 'field-label', i18n: 'wsb.rubric' }),
      h('span', { class: 'help', i18n: 'wsb.rubric_help' }),
      checksBox,
      h('div', { class: 'ws-row' }, checkType, addCheck),
    ),
    pair('wsb-ex-self', 'wsb.self_check', { multiline: true, rows: 2, help: 'wsb.self_check_help' }),
    err,
    h('div', { class: 'ws-row' }, save, cancel),
  );
  el.exerciseForm.replaceChildren(box);
  box.querySelector('#wsb-ex-template').focus();
}

/** A rubric check being written: its type, its small form, and the spec it makes. */
function newCheck(type) {
  const ui = h('div', { class: 'wsb-check-body' });
  let spec = () => ({ type });
  const area = (cls, ph) => h('textarea', { class: 'ws-comment-input ' + cls, rows: 2, dir: 'auto', i18nPlaceholder: ph });
  if (type === 'parts') {
    const boxes = PARTS.map((p) => h('label', { class: 'check' }, h('input', { type: 'checkbox', dataset: { part: p }, checked: p === 'objet' }), h('span', { i18n: 'wsb.part.' + p })));
    ui.append(h('div', { class: 'ws-row' }, boxes));
    spec = () => ({ type, parts: [...ui.querySelectorAll('input[data-part]:checked')].map((x) => x.dataset.part) });
  } else if (type === 'closing') {
    const s = h('select', { class: 'ws-input wsb-addressee' }, ADDRESSEES.map((a) => h('option', { value: a, i18n: 'wsb.addressee.' + a })));
    ui.append(h('label', { class: 'wsb-field' }, h('span', { class: 'field-label', i18n: 'wsb.addressee' }), s));
    spec = () => ({ type, addressee: s.value });
  } else if (type === 'length') {
    const min = h('input', { type: 'number', class: 'ws-input wsb-num wsb-min', min: 0, step: 10 });
    const max = h('input', { type: 'number', class: 'ws-input wsb-num wsb-max', min: 0, step: 10 });
    ui.append(h('div', { class: 'wsb-inline' }, h('label', { class: 'wsb-field' }, h('span', { class: 'field-label', i18n: 'wsb.min_words' }), min), h('label', { class: 'wsb-field' }, h('span', { class: 'field-label', i18n: 'wsb.max_words' }), max)));
    const n = (x) => (x.value === '' ? null : Math.round(Number(x.value)));
    spec = () => ({ type, min: n(min), max: n(max) });
  } else if (type === 'facts') {
    const t = area('wsb-facts', 'wsb.facts_ph');
    ui.append(t);
    spec = () => ({ type, facts: lines(t.value).map((l) => l.split('|').map((x) => x.trim()).filter(Boolean)) });
  } else if (type === 'personal') {
    const t = area('wsb-allow', 'wsb.allow_ph');
    ui.append(t);
    spec = () => ({ type, allow: lines(t.value) });
  } else if (type === 'references') {
    const t = area('wsb-allowed', 'wsb.allowed_ph');
    ui.append(t);
    spec = () => ({ type, allowed: lines(t.value) });
  } else if (type === 'language') {
    const s = h('select', { class: 'ws-input wsb-check-lang' }, LANGS.map((l) => h('option', { value: l, i18n: `wsb.lang_${l}` })));
    ui.append(s);
    spec = () => ({ type, lang: s.value });
  }
  return { type, ui, spec };
}
