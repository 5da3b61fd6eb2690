// The mail-merge screen ("Publipostage"), opened from a letter template: the sheet (the native
// picker through Rust, or a practice sample), the mapping field <- column (editable, remembered),
// the rows left out, the first three letters, the estimate, the mode (one draft then an exact
// merge, or one answer per row), the draft written then edited and approved, the output folder
// ("Reprendre" when it holds an unfinished merge), Start / Stop with a progress bar and a per-row
// status table, and at the end the folder and the combined document.
//
// Every rule is katib-merge's (through api.js); this screen only shows its plan and events. Sheet
// cells, file names and the model's text are untrusted: they only ever become textContent.

import * as api from '../api.js';
import { h, icon, basename, showError, clearError, toast } from '../dom.js';
import { t, lang, translate, setText, num, iso, onLangChange } from '../i18n.js';

/** Where the screen lives (#merge-view). */
let root = null;
/** {template, title, request, plan, draft, approved, outDir, journal, running, report, rows} */
let m = null;
let el = {};

export function init(container) {
  root = container;
  onLangChange(async () => {
    if (!m) return;
    const id = m.template;
    try {
      const tpl = await api.getTemplate(id, lang());
      if (m && m.template === id) m.title = tpl.title;
    } catch {
      // The title stays in the previous language; everything else follows.
    }
    if (m && !root.hidden) renderAll();
  });
}

export function isRunning() {
  return !!(m && m.running);
}

/** Opens the screen for template `tpl` ({id, title, ...} as getTemplate gives it). */
export async function open(tpl) {
  if (m && m.running) {
    toast('merge.busy', null, 'info');
    return m.template === tpl.id;
  }
  if (!m || m.template !== tpl.id) {
    m = {
      template: tpl.id,
      title: tpl.title,
      request: { template: tpl.id, rows: '', map: {}, values: {}, mode: 'draft', draft: null, profile: null, skip_incomplete: false, use_remembered: true },
      plan: null,
      draft: '',
      draftCheck: null,
      approved: false,
      outDir: null,
      journal: null,
      running: null,
      report: null,
      rows: new Map(),
      progress: { total: 0, pending: 0, done: 0, failed: 0 },
      samples: [],
      confirmed: false,
      incomplete: false,
    };
  }
  m.title = tpl.title;
  build();
  try {
    m.samples = await api.mergeSamples(tpl.id);
  } catch (e) {
    m.samples = [];
    showError(e);
  }
  renderSamples();
  return true;
}

// ---------------------------------------------------------------------------------------------
// Building the screen

function section(id, titleKey, ...children) {
  return h('section', { class: 'card merge-card', id }, h('h2', { class: 'card-title', i18n: titleKey }), ...children);
}

function build() {
  el = {};
  const back = h(
    'button',
    { type: 'button', class: 'btn btn-ghost back-btn', id: 'merge-back', onclick: () => document.dispatchEvent(new CustomEvent('katib:navigate', { detail: { view: 'template' } })) },
    icon('back', 'flip-rtl'),
    h('span', { i18n: 'merge.back' }),
  );
  el.title = h('h1', { class: 'tpl-title', id: 'merge-title', dir: 'auto' });

  // 1. The sheet
  el.sheetName = h('span', { class: 'merge-path', id: 'merge-sheet-name', dir: 'auto' });
  el.pickSheet = h('button', { type: 'button', class: 'btn', id: 'merge-pick-sheet', onclick: pickSheet }, icon('sheet'), h('span', { i18n: 'merge.pick_sheet' }));
  el.sampleSelect = h('select', { id: 'merge-sample', class: 'sample-select', i18nAria: 'merge.sample_choose' });
  el.useSample = h('button', { type: 'button', class: 'btn btn-small', id: 'merge-use-sample', onclick: useSample }, icon('file'), h('span', { i18n: 'merge.use_sample' }));
  el.sampleBar = h('div', { class: 'merge-row', hidden: true }, el.sampleSelect, el.useSample);
  el.sheetInfo = h('p', { class: 'card-lead', id: 'merge-sheet-info', dir: 'auto' });

  // 2. The mapping
  el.mapBody = h('tbody', { id: 'merge-map-body' });
  el.columns = h('datalist', { id: 'merge-columns' });
  el.mapTable = h(
    'table',
    { class: 'merge-table', id: 'merge-map' },
    h('thead', {}, h('tr', {}, h('th', { i18n: 'merge.col_field' }), h('th', { i18n: 'merge.col_source' }), h('th', { i18n: 'merge.col_origin' }))),
    el.mapBody,
  );
  el.applyMap = h('button', { type: 'button', class: 'btn btn-small', id: 'merge-apply-map', onclick: applyMapping }, icon('refresh'), h('span', { i18n: 'merge.apply_map' }));
  el.remember = h('button', { type: 'button', class: 'btn btn-small', id: 'merge-remember', onclick: rememberMapping }, icon('check'), h('span', { i18n: 'merge.remember' }));
  el.warnings = h('ul', { class: 'merge-warnings', id: 'merge-warnings' });
  el.incomplete = h('ul', { class: 'merge-incomplete', id: 'merge-incomplete' });
  el.skip = h('input', { type: 'checkbox', id: 'merge-skip', onchange: () => { m.request.skip_incomplete = el.skip.checked; replan(); } });
  el.incompleteBox = h(
    'div',
    { class: 'notice notice-warn merge-left-out', id: 'merge-left-out', hidden: true },
    h('p', { class: 'merge-h', id: 'merge-left-out-title' }),
    el.incomplete,
    h('label', { class: 'check' }, el.skip, h('span', { i18n: 'merge.skip_incomplete' })),
  );

  // 3. Mode and estimate
  const radio = (value, key) =>
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'merge-mode', value, id: 'merge-mode-' + value, onchange: () => setMode(value) }), h('span', { i18n: key }));
  el.modes = h('div', { class: 'merge-modes', role: 'radiogroup', i18nAria: 'merge.mode' }, radio('draft', 'merge.mode_draft'), radio('per_row', 'merge.mode_per_row'));
  el.modeHelp = h('p', { class: 'help', id: 'merge-mode-help' });
  el.estimate = h('p', { class: 'merge-estimate', id: 'merge-estimate', hidden: true });
  el.route = h('p', { class: 'help', id: 'merge-route' });
  el.confirm = h('input', { type: 'checkbox', id: 'merge-confirm', onchange: () => { m.confirmed = el.confirm.checked; renderStart(); } });
  el.confirmBox = h('label', { class: 'check merge-confirm', hidden: true }, el.confirm, h('span', { id: 'merge-confirm-text' }));

  // 4. The first letters
  el.previews = h('div', { class: 'merge-previews', id: 'merge-previews' });

  // 5. The draft (draft mode)
  el.writeDraft = h('button', { type: 'button', class: 'btn btn-primary', id: 'merge-write-draft', onclick: writeDraft }, icon('play'), h('span', { i18n: 'merge.write_draft' }));
  el.draftStop = h('button', { type: 'button', class: 'btn btn-danger', id: 'merge-draft-stop', hidden: true, onclick: () => api.mergeStop().catch(showError) }, icon('stop'), h('span', { i18n: 'merge.stop' }));
  el.draftEditor = h('textarea', { id: 'merge-draft', class: 'answer-editor merge-draft', dir: 'auto', spellcheck: 'true', i18nAria: 'merge.draft_label' });
  el.draftEditor.addEventListener('input', () => {
    m.draft = el.draftEditor.value;
    if (m.approved) {
      m.approved = false;
      m.request.draft = null;
      renderDraft();
      renderStart();
    }
  });
  el.draftCheck = h('p', { class: 'field-error', id: 'merge-draft-check', hidden: true, dir: 'auto' });
  el.approve = h('button', { type: 'button', class: 'btn btn-accent', id: 'merge-approve', onclick: approveDraft }, icon('check'), h('span', { i18n: 'merge.approve' }));
  el.approved = h('span', { class: 'chip', id: 'merge-approved', hidden: true, i18n: 'merge.approved' });
  el.fieldsHint = h('p', { class: 'help', id: 'merge-fields-hint', dir: 'auto' });
  el.draftSection = section(
    'merge-draft-card',
    'merge.draft_title',
    h('p', { class: 'card-lead', i18n: 'merge.draft_lead' }),
    el.fieldsHint,
    h('div', { class: 'merge-row' }, el.writeDraft, el.draftStop),
    el.draftEditor,
    el.draftCheck,
    h('div', { class: 'merge-row' }, el.approve, el.approved),
  );

  // 6. Output folder, start, progress
  el.outPath = h('span', { class: 'merge-path', id: 'merge-out-dir', dir: 'auto' });
  el.pickFolder = h('button', { type: 'button', class: 'btn', id: 'merge-pick-folder', onclick: pickFolder }, icon('open'), h('span', { i18n: 'merge.pick_folder' }));
  el.journal = h('div', { class: 'notice', id: 'merge-journal', hidden: true, role: 'status' });
  el.resume = h('button', { type: 'button', class: 'btn btn-accent', id: 'merge-resume', hidden: true, onclick: () => startMerge(true) }, icon('refresh'), h('span', { i18n: 'merge.resume' }));
  el.start = h('button', { type: 'button', class: 'btn btn-primary', id: 'merge-start', onclick: () => startMerge(false) }, icon('play'), h('span', { i18n: 'merge.start' }));
  el.stop = h('button', { type: 'button', class: 'btn btn-danger', id: 'merge-stop', hidden: true, onclick: () => api.mergeStop().catch(showError) }, icon('stop'), h('span', { i18n: 'merge.stop' }));
  el.startHint = h('p', { class: 'help', id: 'merge-start-hint' });
  el.bar = h('progress', { id: 'merge-progress', class: 'merge-progress', max: '1', value: '0', hidden: true });
  el.counts = h('p', { class: 'merge-counts', id: 'merge-counts', 'aria-live': 'polite' });
  el.rowsBody = h('tbody', { id: 'merge-rows-body' });
  el.rowsTable = h(
    'table',
    { class: 'merge-table', id: 'merge-rows', hidden: true },
    h('thead', {}, h('tr', {}, h('th', { i18n: 'merge.col_row' }), h('th', { i18n: 'merge.col_status' }), h('th', { i18n: 'merge.col_file' }), h('th', { i18n: 'merge.col_error' }))),
    el.rowsBody,
  );
  el.result = h('div', { class: 'export-result merge-result', id: 'merge-result', hidden: true, role: 'status' });
  el.openFolder = h('button', { type: 'button', class: 'btn', id: 'merge-open-folder', onclick: () => m.report && api.openPath(m.report.out_dir).catch(showError) }, icon('open'), h('span', { i18n: 'merge.open_folder' }));
  el.openCombined = h('button', { type: 'button', class: 'btn btn-accent', id: 'merge-open-combined', onclick: () => m.report && m.report.combined && api.openPath(m.report.combined).catch(showError) }, icon('file'), h('span', { i18n: 'merge.open_combined' }));
  el.resultActions = h('div', { class: 'merge-row', hidden: true }, el.openFolder, el.openCombined);

  root.replaceChildren(
    h('div', { class: 'merge-inner' },
      h('div', { class: 'tpl-head' }, back, h('div', { class: 'tpl-head-text' }, h('div', { class: 'tpl-head-line' }, el.title, h('span', { class: 'chip', i18n: 'merge.chip' })), h('p', { class: 'tpl-desc', i18n: 'merge.lead' }))),
      section('merge-sheet-card', 'merge.sheet_title', h('div', { class: 'merge-row' }, el.pickSheet, el.sheetName), el.sampleBar, el.sheetInfo),
      section('merge-map-card', 'merge.map_title', h('p', { class: 'card-lead' }, h('span', { i18n: 'merge.map_lead' }), ' ', h('code', { dir: 'ltr', text: '{Civilité} {Prénom} {Nom}' })), el.mapTable, el.columns, h('div', { class: 'merge-row' }, el.applyMap, el.remember), el.warnings, el.incompleteBox),
      section('merge-mode-card', 'merge.mode_title', el.modes, el.modeHelp, el.estimate, el.route, el.confirmBox),
      section('merge-preview-card', 'merge.preview_title', el.previews),
      el.draftSection,
      section(
        'merge-run-card',
        'merge.run_title',
        h('div', { class: 'merge-row' }, el.pickFolder, el.outPath),
        el.journal,
        h('div', { class: 'merge-row' }, el.start, el.resume, el.stop),
        el.startHint,
        el.bar,
        el.counts,
        el.rowsTable,
        el.result,
        el.resultActions,
      ),
    ),
  );
  translate(root);
  renderAll();
}

function renderAll() {
  if (!m) return;
  el.title.textContent = t('merge.title', { title: m.title });
  for (const r of root.querySelectorAll('input[name="merge-mode"]')) r.checked = r.value === m.request.mode;
  el.draftEditor.value = m.draft;
  renderSamples();
  renderPlan();
  renderDraft();
  renderFolder();
  renderStart();
  renderProgress();
  el.rowsBody.replaceChildren(...[...m.rows.values()].sort((a, b) => a.row - b.row).map(rowLine));
  renderReport();
}

function renderSamples() {
  el.sampleSelect.replaceChildren();
  for (const s of m.samples) {
    const title = s.title ? s.title[lang()] || s.title.fr || s.name : s.name;
    el.sampleSelect.appendChild(h('option', { value: s.name, text: title }));
  }
  el.sampleBar.hidden = m.samples.length === 0;
}

function renderPlan() {
  const p = m.plan;
  el.sheetName.textContent = m.request.rows ? basename(m.request.rows) : t('merge.no_sheet');
  el.sheetInfo.textContent = p ? t('merge.sheet_info', { sheet: iso(p.sheet), header: p.header_row, rows: num(p.rows), ready: num(p.ready) }) : '';
  el.columns.replaceChildren(...(p ? p.columns.map((c) => h('option', { value: c.header })) : []));
  el.mapBody.replaceChildren();
  if (p) {
    for (const f of p.fields) {
      // A composed source may span lines (a name, then a function): a textarea keeps them.
      const multi = (f.source || '').includes('\n');
      const input = multi
        ? h('textarea', { class: 'merge-source', dir: 'auto', rows: '2', dataset: { field: f.name }, value: f.source, i18nAria: 'merge.col_source' })
        : // A field given for every letter shows its value as the placeholder, in the screen's direction.
          h('input', { type: 'text', class: 'merge-source', dir: f.common != null ? null : 'auto', list: 'merge-columns', dataset: { field: f.name }, value: f.source ?? '', i18nPlaceholder: f.common != null ? null : 'merge.source_placeholder', i18nAria: 'merge.col_source' });
      if (f.common != null) {
        input.value = '';
        input.placeholder = t('merge.common_value', { value: iso(f.common) });
      }
      input.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && !multi) {
          e.preventDefault();
          applyMapping();
        }
      });
      el.mapBody.appendChild(
        h('tr', { dataset: { field: f.name } },
          h('td', {}, h('span', { dir: 'auto', text: f.label }), f.required ? h('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : null, h('span', { class: 'merge-field-name', text: f.name })),
          h('td', {}, input),
          h('td', { class: 'merge-origin', text: f.origin ? t(ORIGIN[f.origin] || 'merge.origin_auto') : '' }),
        ),
      );
    }
  }
  el.mapTable.hidden = !p;
  el.applyMap.hidden = el.remember.hidden = !p;
  el.warnings.replaceChildren(...(p ? p.warnings.map((w) => h('li', { dir: 'auto', text: w })) : []));
  const left = p ? p.incomplete : [];
  el.incompleteBox.hidden = left.length === 0;
  setText(el.incompleteBox.querySelector('.merge-h'), 'merge.left_out', { n: num(left.length) });
  el.incomplete.replaceChildren(...left.map((r) => h('li', { dir: 'auto', text: t('merge.row_problem', { row: r.row, problems: iso(r.problems.join(' ; ')) }) })));
  el.skip.checked = !!m.request.skip_incomplete;

  setText(el.modeHelp, m.request.mode === 'draft' ? 'merge.mode_draft_help' : 'merge.mode_per_row_help');
  const e = p && p.estimate;
  el.estimate.hidden = !e;
  if (e) {
    el.estimate.textContent = t('merge.estimate', {
      requests: num(e.requests),
      prompt: num(e.prompt_tokens),
      answer: num(e.answer_tokens),
      time: duration(e.seconds),
      concurrency: num(e.concurrency),
    });
  }
  el.route.textContent = p ? t(ROUTE[p.route.kind] || 'merge.route_endpoint', { profile: iso(p.route.profile || '') }) + (p.route.pseudonymised ? ' ' + t('merge.pseudonymised') : '') : '';
  el.confirmBox.hidden = !(p && p.needs_confirmation);
  if (p && p.needs_confirmation) setText(el.confirmBox.querySelector('#merge-confirm-text'), 'merge.confirm_many', { n: num(p.ready) });
  el.confirm.checked = m.confirmed;

  el.previews.replaceChildren();
  if (!p) el.previews.appendChild(h('p', { class: 'help', i18n: 'merge.preview_none' }));
  for (const pv of p ? p.preview : []) {
    const title = pv.row > 0 ? t('merge.preview_row', { row: pv.row, file: iso(pv.file) }) : t('merge.preview_draft_request');
    const parts = [];
    for (const msg of pv.messages || []) parts.push(h('p', { class: 'prompt-h', text: msg.role }), h('pre', { class: 'prompt-text', dir: 'auto', text: msg.content }));
    if (pv.answer != null) parts.push(h('p', { class: 'prompt-h', i18n: pv.row > 0 ? 'merge.preview_letter' : 'merge.preview_saved_answer' }), h('pre', { class: 'prompt-text', dir: 'auto', text: pv.answer }));
    el.previews.appendChild(h('details', { class: 'merge-preview', dataset: { row: String(pv.row) } }, h('summary', { dir: 'auto', text: title }), ...parts));
  }
  el.fieldsHint.textContent = p && p.merge_fields.length ? t('merge.fields_hint', { fields: iso(p.merge_fields.map((f) => '{{' + f.name + '}}').join('  ')) }) : '';
  el.draftSection.hidden = m.request.mode !== 'draft';
}

function renderDraft() {
  el.writeDraft.disabled = !m.plan || !!m.running || !!m.drafting;
  el.draftStop.hidden = !m.drafting;
  el.draftEditor.hidden = !m.draft && !m.drafting;
  el.approve.hidden = !m.draft || m.approved;
  el.approve.disabled = !!m.drafting;
  el.approved.hidden = !m.approved;
  el.draftCheck.hidden = !m.draftCheck;
  if (m.draftCheck) el.draftCheck.textContent = t('merge.draft_check', { message: iso(m.draftCheck.message) });
}

function renderFolder() {
  el.outPath.textContent = m.outDir || t('merge.no_folder');
  const j = m.journal;
  el.journal.hidden = !j;
  el.resume.hidden = !j || !!m.running;
  if (j) el.journal.textContent = t('merge.journal', { done: num(j.done), failed: num(j.failed.length), started: iso(j.started.slice(0, 16).replace('T', ' ')) });
}

/** Why Start is not possible yet (a translation key), or null. */
function blocker() {
  if (!m.plan) return 'merge.need_sheet';
  if (m.incomplete && !m.request.skip_incomplete) return 'merge.need_skip';
  if (m.request.mode === 'draft' && !m.approved) return 'merge.need_draft';
  if (!m.outDir) return 'merge.need_folder';
  if (m.plan.needs_confirmation && !m.confirmed) return 'merge.need_confirm';
  return null;
}

function renderStart() {
  const why = blocker();
  el.start.disabled = !!why || !!m.running;
  el.resume.disabled = !!why || !!m.running;
  el.start.hidden = !!m.running;
  el.stop.hidden = !m.running;
  el.startHint.hidden = !why || !!m.running;
  if (why) setText(el.startHint, why);
  el.pickSheet.disabled = el.pickFolder.disabled = el.useSample.disabled = !!m.running;
}

function renderProgress() {
  const g = m.progress;
  const seen = g.done + g.failed;
  el.bar.hidden = !m.running && !m.report;
  el.bar.max = Math.max(1, g.pending);
  el.bar.value = Math.min(seen, g.pending);
  el.counts.textContent = m.running || m.report ? t('merge.counts', { done: num(g.done), failed: num(g.failed), pending: num(Math.max(0, g.pending - seen)), total: num(g.total) }) : '';
  el.rowsTable.hidden = m.rows.size === 0;
}

function renderReport() {
  const r = m.report;
  el.result.hidden = !r;
  el.resultActions.hidden = !r;
  if (!r) return;
  const key = r.cancelled ? 'merge.report_stopped' : r.failed > 0 ? 'merge.report_failed' : 'merge.report_done';
  el.result.replaceChildren(icon(r.cancelled || r.failed ? 'alert' : 'check', 'ok-icon'), h('span', { class: 'export-text', text: t(key, { done: num(r.done), letters: num(r.letters), failed: num(r.failed), pending: num(r.pending) }) }), h('span', { class: 'export-path', dir: 'ltr', text: r.out_dir }));
  el.openCombined.hidden = !r.combined;
}

function duration(s) {
  const secs = Math.round(s);
  if (secs >= 3600) return t('merge.hours', { h: Math.floor(secs / 3600), min: Math.floor((secs % 3600) / 60) });
  if (secs >= 60) return t('merge.minutes', { min: Math.floor(secs / 60), s: secs % 60 });
  return t('merge.seconds', { s: secs });
}

// ---------------------------------------------------------------------------------------------
// Actions

/**
 * The plan of `req`. Rows that cannot become letters stop a plan unless they are left out: the
 * screen then shows the plan with them left out, lists them, and Start waits until the user
 * ticks "write the letters of the other rows" (`m.incomplete`).
 */
async function planFor(req) {
  try {
    const plan = await api.mergePlan(req);
    m.incomplete = false;
    return plan;
  } catch (e) {
    if (e.code !== 'merge.incomplete_rows' || req.skip_incomplete) throw e;
    const plan = await api.mergePlan({ ...req, skip_incomplete: true });
    m.incomplete = true;
    return plan;
  }
}

async function replan() {
  if (!m.request.rows) return;
  const req = m.request;
  try {
    const plan = await planFor(req);
    if (m.request !== req) return;
    m.plan = plan;
    clearError();
  } catch (e) {
    m.plan = null;
    showError(e);
  }
  renderPlan();
  renderDraft();
  renderStart();
}

async function pickSheet() {
  let path;
  try {
    path = await api.pickFile(['sheet']);
  } catch (e) {
    showError(e);
    return;
  }
  if (!path) return;
  m.request = { ...m.request, rows: path, sheet: null, map: {}, values: {}, profile: null, use_remembered: true, draft: null };
  resetDraft();
  await replan();
}

async function useSample() {
  const name = el.sampleSelect.value;
  if (!name) return;
  try {
    const req = await api.mergeSampleRequest(m.template, name);
    m.request = { ...req, use_remembered: false };
  } catch (e) {
    showError(e);
    return;
  }
  resetDraft();
  for (const r of root.querySelectorAll('input[name="merge-mode"]')) r.checked = r.value === m.request.mode;
  await replan();
}

function resetDraft() {
  m.draft = '';
  m.draftCheck = null;
  m.approved = false;
  m.request.draft = null;
  el.draftEditor.value = '';
  renderDraft();
}

/** The mapping as typed in the table (empty: the field is left to the guess or its default). */
function typedMapping() {
  const map = {};
  for (const input of el.mapBody.querySelectorAll('.merge-source')) {
    const v = input.value.trim();
    if (v) map[input.dataset.field] = v;
  }
  return map;
}

async function applyMapping() {
  m.request = { ...m.request, map: typedMapping() };
  if (m.approved) {
    m.approved = false;
    m.request.draft = null;
  }
  await replan();
}

async function rememberMapping() {
  try {
    await api.mergeRemember(m.template, typedMapping());
    toast('merge.remembered');
  } catch (e) {
    showError(e);
  }
}

async function setMode(mode) {
  m.request = { ...m.request, mode, draft: mode === 'draft' && m.approved ? m.request.draft : null };
  if (mode !== 'draft') m.approved = false;
  await replan();
}

async function writeDraft() {
  m.drafting = true;
  m.draft = '';
  m.draftCheck = null;
  m.approved = false;
  el.draftEditor.value = '';
  renderDraft();
  try {
    const r = await api.mergeDraft({ ...m.request, draft: null }, (ev) => {
      if (ev.event === 'delta') {
        m.draft += ev.data.text;
        el.draftEditor.value = m.draft;
      }
    });
    m.draft = r.text;
    m.draftCheck = r.check;
    el.draftEditor.value = m.draft;
  } catch (e) {
    showError(e);
  }
  m.drafting = false;
  renderDraft();
  renderStart();
}

async function approveDraft() {
  m.request = { ...m.request, draft: { text: el.draftEditor.value, path: 'brouillon.md' } };
  try {
    const plan = await planFor(m.request);
    m.plan = plan;
    m.approved = true;
    m.draftCheck = null;
    clearError();
    // The letters as they will be: the previews show the draft filled with the first rows.
    for (const d of el.previews.querySelectorAll('details')) d.open = false;
  } catch (e) {
    m.request = { ...m.request, draft: null };
    m.approved = false;
    m.draftCheck = e;
    showError(e);
  }
  renderPlan();
  renderDraft();
  renderStart();
  const first = el.previews.querySelector('details');
  if (m.approved && first) first.open = true;
}

async function pickFolder() {
  let dir;
  try {
    dir = await api.mergePickFolder();
  } catch (e) {
    showError(e);
    return;
  }
  if (!dir) return;
  m.outDir = dir;
  await refreshJournal();
}

async function refreshJournal() {
  try {
    const j = m.outDir ? await api.mergeStatus(m.outDir) : null;
    // Only an unfinished merge of this template is offered to resume.
    m.journal = j && j.template === m.template && (j.done < (m.plan ? m.plan.ready : Infinity) || j.failed.length) ? j : null;
  } catch (e) {
    m.journal = null;
    showError(e);
  }
  renderFolder();
  renderStart();
}

// Full keys (tests/ui.rs checks every key literal the code names exists).
const STATUS = { done: 'merge.status_done', failed: 'merge.status_failed', skipped: 'merge.status_skipped', pending: 'merge.status_pending' };
const ORIGIN = { auto: 'merge.origin_auto', remembered: 'merge.origin_remembered', explicit: 'merge.origin_explicit' };
const ROUTE = { practice: 'merge.route_practice', endpoint: 'merge.route_endpoint', fixed: 'merge.route_fixed' };

function statusKey(s) {
  return STATUS[s] || 'merge.status_pending';
}

function rowLine(r) {
  const err = r.error ? r.error.message : r.note || '';
  return h(
    'tr',
    { dataset: { row: String(r.row), status: r.status } },
    h('td', { text: String(r.row) }),
    h('td', { class: 'merge-status', text: t(statusKey(r.status)) }),
    // <bdi>: a Latin file name stays at the cell's start in Arabic.
    h('td', {}, h('bdi', { text: r.file || '' })),
    h('td', { class: r.error ? 'merge-error' : '' }, h('bdi', { text: err })),
  );
}

function onEvent(ev) {
  if (ev.event === 'started') {
    m.progress = { total: ev.total, pending: ev.pending, done: 0, failed: 0 };
  } else if (ev.event === 'row') {
    const line = rowLine(ev);
    // Rows finish in any order (several at once): the table keeps the sheet's order.
    const old = el.rowsBody.querySelector(`tr[data-row="${Number(ev.row)}"]`);
    if (old) old.replaceWith(line);
    else el.rowsBody.insertBefore(line, [...el.rowsBody.children].find((tr) => Number(tr.dataset.row) > ev.row) || null);
    m.rows.set(ev.row, ev);
    if (ev.status === 'done') m.progress.done++;
    else if (ev.status === 'failed') m.progress.failed++;
  } else if (ev.event === 'waiting') {
    el.counts.textContent = t('merge.waiting', { row: ev.row });
    return;
  } else if (ev.event === 'writing') {
    el.counts.textContent = t('merge.writing', { file: iso(ev.file) });
    return;
  }
  renderProgress();
}

async function startMerge(resume) {
  if (blocker() || m.running) return;
  clearError();
  m.running = true;
  m.report = null;
  m.rows = new Map();
  m.progress = { total: 0, pending: 0, done: 0, failed: 0 };
  el.rowsBody.replaceChildren();
  renderStart();
  renderFolder();
  renderReport();
  renderProgress();
  try {
    m.report = await api.mergeStart(m.request, m.outDir, resume, m.confirmed, onEvent);
  } catch (e) {
    showError(e);
  }
  m.running = false;
  renderProgress();
  renderReport();
  renderStart();
  await refreshJournal();
  if (m.report && !m.report.cancelled && !m.report.failed) toast('merge.finished', { n: num(m.report.done) });
}
