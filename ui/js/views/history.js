// The History screen: the runs recorded on this computer and the outgoing-mail register.
//
// Documents: a search box (full-text: French accents and Arabic letter forms are folded by the
// history itself), filters (template, status, date range), the list with the snippets that
// matched, and a run's detail: what left this computer and the replacements, the answer and its
// edits, the exports, the register numbers, who reviewed it ("Relu et validé par"), and the
// actions (reopen in the template screen, export again, the final version that numbers a letter,
// the audit page, the audit sheet, delete). Purge applies the retention. Register: the numbers given, exported to
// .xlsx.
//
// Loaded on the first visit only: start-up never opens the history database.

import * as api from '../api.js';
import { h, icon, debounce, showError, showSaved, clearError, toast, basename } from '../dom.js';
import { t, lang, setText, translate, num, onLangChange, seconds, iso } from '../i18n.js';
import { dateInput, dateOf } from '../dateinput.js';
import { outgoingView, fromRecord, kindLabel } from './outgoing.js';

const PAGE = 50;
const STATUSES = ['done', 'partial', 'cancelled', 'failed', 'running'];
const FRAMED = ['letter', 'note', 'act'];

let root = null;
let el = {};
let reopenRun = async () => false;
let templates = [];
let templatesLang = null;
/** The list as shown: `{items: [{run, snippet}], offset, more, query}`. */
let list = { items: [], offset: 0, more: false, query: '' };
let selected = null;
/** The run shown in the detail: `{run, edits}`. */
let detail = null;
let settings = null;
let tab = 'runs';
/** The latest list request and detail request win when answers arrive out of order. */
let seq = 0;
let detailSeq = 0;

export function init(container, opts) {
  root = container;
  reopenRun = opts.reopen;
  build();
  onLangChange(() => {
    if (root.hidden) return;
    translate(root);
    refreshTemplates().then(() => {
      renderList();
      if (detail) renderDetail();
    });
  });
}

/** Called when the screen is shown. */
export async function enter() {
  await Promise.all([refreshTemplates(), loadSettings()]);
  if (tab === 'register') await loadRegister();
  else await reload();
}

// ---------------------------------------------------------------------------------------------
// Layout

function build() {
  el.tabRuns = h('button', { type: 'button', role: 'tab', class: 'tab', id: 'history-tab-runs', onclick: () => setTab('runs') }, icon('history'), h('span', { i18n: 'history.tab_runs' }));
  el.tabRegister = h('button', { type: 'button', role: 'tab', class: 'tab', id: 'history-tab-register', onclick: () => setTab('register') }, icon('register'), h('span', { i18n: 'history.tab_register' }));
  el.purge = h('button', { type: 'button', class: 'btn btn-small btn-ghost', id: 'history-purge' }, icon('trash'), h('span', { i18n: 'history.purge' }));
  el.purge.addEventListener('click', () => armed(el.purge, 'history.purge_confirm', 'history.purge', purge));
  el.retention = h('span', { class: 'history-retention', id: 'history-retention' });

  el.search = h('input', { type: 'search', id: 'history-search', class: 'search-input', autocomplete: 'off', spellcheck: 'false', i18nPlaceholder: 'history.search_placeholder', i18nAria: 'history.search_label' });
  el.search.addEventListener('input', debounce(() => reload(), 250));
  el.template = h('select', { id: 'history-template', i18nAria: 'history.filter_template' });
  el.status = h('select', { id: 'history-status', i18nAria: 'history.filter_status' });
  el.from = dateInput({ id: 'history-from', i18nAria: 'history.filter_from' });
  el.to = dateInput({ id: 'history-to', i18nAria: 'history.filter_to' });
  for (const c of [el.template, el.status]) c.addEventListener('change', () => reload());
  for (const d of [el.from, el.to]) d.input.addEventListener('change', () => reload());
  for (const d of [el.from, el.to]) d.input.addEventListener('input', debounce(() => (!d.get() || !d.invalid()) && reload(), 400));
  el.count = h('p', { class: 'result-count', id: 'history-count', 'aria-live': 'polite' });
  el.items = h('ul', { class: 'history-list', id: 'history-list' });
  el.more = h('button', { type: 'button', class: 'btn btn-small', id: 'history-more', hidden: true, onclick: () => reload(true) }, h('span', { i18n: 'history.more' }));
  el.detail = h('div', { class: 'history-detail', id: 'history-detail' });

  const filters = h(
    'div',
    { class: 'history-filters' },
    h('div', { class: 'search-box' }, icon('search', 'search-icon'), el.search),
    h(
      'div',
      { class: 'filter-row' },
      h('label', { class: 'filter' }, h('span', { class: 'filter-label', i18n: 'history.filter_template' }), el.template),
      h('label', { class: 'filter' }, h('span', { class: 'filter-label', i18n: 'history.filter_status' }), el.status),
    ),
    h(
      'div',
      { class: 'filter-row' },
      h('div', { class: 'filter' }, h('label', { class: 'filter-label', for: 'history-from', i18n: 'history.filter_from' }), el.from.wrap),
      h('div', { class: 'filter' }, h('label', { class: 'filter-label', for: 'history-to', i18n: 'history.filter_to' }), el.to.wrap),
    ),
  );
  el.runsPane = h(
    'div',
    { class: 'history-body', id: 'history-runs', role: 'tabpanel' },
    h('div', { class: 'history-list-col' }, filters, el.count, el.items, el.more),
    h('div', { class: 'history-detail-col' }, el.detail),
  );

  el.year = h('select', { id: 'register-year', i18nAria: 'register.year' });
  el.year.addEventListener('change', () => loadRegister());
  el.registerExport = h('button', { type: 'button', class: 'btn btn-accent', id: 'register-export', onclick: exportRegister }, icon('sheet'), h('span', { i18n: 'register.export' }));
  el.registerResult = h('div', { class: 'export-result', id: 'register-result', hidden: true, role: 'status' });
  el.registerTable = h('div', { class: 'register-table-wrap' });
  el.registerPane = h(
    'div',
    { class: 'register-body', id: 'history-register', role: 'tabpanel', hidden: true },
    h('div', { class: 'register-inner' },
      h('p', { class: 'card-lead', i18n: 'register.lead' }),
      h('div', { class: 'register-bar' }, h('label', { class: 'filter' }, h('span', { class: 'filter-label', i18n: 'register.year' }), el.year), h('span', { class: 'spacer' }), el.registerExport),
      el.registerResult,
      el.registerTable,
    ),
  );

  root.replaceChildren(
    h(
      'div',
      { class: 'history-head' },
      h('h1', { class: 'page-title', i18n: 'history.title' }),
      h('div', { class: 'answer-tabs history-tabs', role: 'tablist', i18nAria: 'history.title' }, el.tabRuns, el.tabRegister),
      h('span', { class: 'spacer' }),
      el.retention,
      el.purge,
    ),
    el.runsPane,
    el.registerPane,
  );
  translate(root);
  setTab('runs', true);
}

function setTab(which, quiet) {
  tab = which;
  el.tabRuns.setAttribute('aria-selected', String(which === 'runs'));
  el.tabRegister.setAttribute('aria-selected', String(which === 'register'));
  el.runsPane.hidden = which !== 'runs';
  el.registerPane.hidden = which !== 'register';
  if (quiet) return;
  if (which === 'register') loadRegister();
  else reload();
}

/** A destructive button asks once more, in place, for 4 seconds. */
function armed(btn, confirmKey, key, action) {
  const label = btn.querySelector('span');
  if (btn.dataset.armed) {
    delete btn.dataset.armed;
    btn.classList.remove('armed');
    setText(label, key);
    action();
    return;
  }
  btn.dataset.armed = '1';
  btn.classList.add('armed');
  setText(label, confirmKey);
  setTimeout(() => {
    if (!btn.isConnected || !btn.dataset.armed) return;
    delete btn.dataset.armed;
    btn.classList.remove('armed');
    setText(label, key);
  }, 4000);
}

async function refreshTemplates() {
  const l = lang();
  if (templatesLang !== l) {
    try {
      templates = await api.listTemplates(l);
      templatesLang = l;
    } catch (e) {
      showError(e);
    }
  }
  const keep = el.template.value;
  el.template.replaceChildren(h('option', { value: '', i18n: 'history.all_templates' }), ...templates.map((x) => h('option', { value: x.id, dir: 'auto', text: x.title })));
  el.template.value = keep;
  const keepStatus = el.status.value;
  el.status.replaceChildren(h('option', { value: '', i18n: 'history.all_statuses' }), ...STATUSES.map((s) => h('option', { value: s, i18n: 'status.' + s })));
  el.status.value = keepStatus;
  translate(el.template);
  translate(el.status);
}

async function loadSettings() {
  try {
    settings = await api.getHistorySettings();
  } catch (e) {
    settings = null;
  }
  const days = settings && settings.retention;
  if (days) setText(el.retention, 'history.retention', { n: num(days) });
  else setText(el.retention, 'history.no_retention');
  el.purge.disabled = !days;
  el.purge.title = days ? '' : t('history.no_retention_help');
}

// ---------------------------------------------------------------------------------------------
// The list

function filter(offset) {
  const from = dateOf(el.from.get());
  const to = dateOf(el.to.get());
  if (to) to.setDate(to.getDate() + 1);
  return {
    template: el.template.value || null,
    status: el.status.value || null,
    from: from ? from.toISOString() : null,
    to: to ? to.toISOString() : null,
    limit: PAGE,
    offset,
  };
}

/** Loads the first page (or the next one, `more`). */
async function reload(more) {
  const mine = ++seq;
  const offset = more ? list.offset + PAGE : 0;
  const query = el.search.value.trim();
  root.setAttribute('aria-busy', 'true');
  try {
    const f = filter(offset);
    const items = query ? (await api.historySearch(query, f)).map((x) => ({ run: x.run, snippet: x.snippet })) : (await api.historyList(f)).map((run) => ({ run, snippet: null }));
    if (mine !== seq) return;
    list = { items: more ? [...list.items, ...items] : items, offset, more: items.length === PAGE, query };
    renderList();
    if (!more && list.items.length && !list.items.some((x) => x.run.id === selected)) select(list.items[0].run.id);
    else if (!list.items.length) {
      selected = null;
      detail = null;
      renderDetail();
    }
  } catch (e) {
    if (mine === seq) showError(e);
  } finally {
    if (mine === seq) root.removeAttribute('aria-busy');
  }
}

const pad = (n) => String(n).padStart(2, '0');

/** A time as dd/mm/yyyy hh:mm, local time: the French and Arabic way, whatever the locale. */
function when(stamp) {
  if (!stamp) return '—';
  const d = new Date(stamp);
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function titleOf(tplId, fallback) {
  const x = templates.find((tp) => tp.id === tplId);
  return x ? x.title : fallback || tplId;
}

function statusChip(s) {
  return h('span', { class: 'chip status-chip status-' + s, dataset: { status: s }, i18n: 'status.' + s });
}

function classChip(c) {
  return c ? h('span', { class: 'chip class-' + c, i18n: 'dataclass.' + c }) : null;
}

function renderList() {
  el.items.replaceChildren(
    ...list.items.map(({ run, snippet }) =>
      h(
        'li',
        {},
        h(
          'button',
          { type: 'button', class: 'history-item' + (run.id === selected ? ' selected' : ''), dataset: { id: run.id }, 'aria-current': run.id === selected ? 'true' : null, onclick: () => select(run.id) },
          h('span', { class: 'hi-title', dir: 'auto', text: run.objet || titleOf(run.template_id, run.template_title) }),
          h('span', { class: 'hi-meta' }, h('span', { dir: 'auto', text: titleOf(run.template_id, run.template_title) }), ' · ', h('span', { dir: 'ltr', class: 'hi-date', text: when(run.started_at) })),
          snippet && snippet.length ? h('span', { class: 'hi-snippet', dir: 'auto' }, ...snippet.map((p) => (p.hit ? h('mark', { text: p.text }) : p.text))) : null,
          h('span', { class: 'hi-chips' }, statusChip(run.status), classChip(run.data_class), run.approvals ? h('span', { class: 'chip chip-ok', i18n: 'history.approved_chip' }) : null, run.has_texts ? null : h('span', { class: 'chip', i18n: 'history.no_texts_chip' })),
        ),
      ),
    ),
  );
  translate(el.items);
  const n = list.items.length;
  if (!n) setText(el.count, list.query ? 'history.no_match' : 'history.empty', { q: list.query });
  else setText(el.count, n === 1 ? 'history.count_one' : list.more ? 'history.count_more' : 'history.count', { n: num(n) });
  el.more.hidden = !list.more;
}

async function select(id) {
  selected = id;
  for (const b of el.items.querySelectorAll('.history-item')) {
    b.classList.toggle('selected', b.dataset.id === id);
    if (b.dataset.id === id) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
  }
  const mine = ++detailSeq;
  try {
    const d = await api.historyGet(id);
    if (mine !== detailSeq) return;
    detail = d;
    renderDetail();
  } catch (e) {
    showError(e);
  }
}

// ---------------------------------------------------------------------------------------------
// A run

function meta(key, value) {
  // The value isolated, the cell in the UI's direction: aligned with its label, whatever its script.
  return value == null || value === '' ? null : [h('dt', { i18n: key }), h('dd', {}, h('bdi', {}, value))];
}

function renderDetail() {
  if (!detail) {
    el.detail.replaceChildren(h('div', { class: 'answer-empty' }, icon('history', 'empty-icon'), h('p', { class: 'empty-title', i18n: 'history.pick' })));
    translate(el.detail);
    return;
  }
  const { run, edits } = detail;
  const s = run.summary;
  const texts = run.texts;
  const tpl = templates.find((x) => x.id === s.template_id);
  const framed = tpl && FRAMED.includes(tpl.category);
  const answer = texts ? (texts.edited != null ? texts.edited : texts.answer) : '';

  const head = h(
    'div',
    { class: 'detail-head' },
    h('h2', { class: 'detail-title', id: 'history-detail-title', dir: 'auto', text: s.objet || titleOf(s.template_id, s.template_title) }),
    h('p', { class: 'detail-sub' }, h('code', { dir: 'ltr', id: 'history-run-id', text: s.id }), ' ', statusChip(s.status), ' ', classChip(s.data_class)),
  );

  const masked = Object.entries(s.masked || {}).map(([k, n]) => t('history.masked_item', { kind: kindLabel(k), n: num(n) })).join(' · ');
  const dl = h(
    'dl',
    { class: 'detail-meta' },
    meta('history.template', `${titleOf(s.template_id, s.template_title)} (v${s.template_version})`),
    meta('history.when', when(s.started_at)),
    meta('history.profile', s.profile === 'practice' ? t('history.practice') : s.profile === 'fixed' ? t('history.fixed') : `${s.profile} · ${s.model}`),
    meta('history.duration', s.duration_ms != null ? seconds(s.duration_ms) : null),
    meta('history.tokens', s.tokens && s.tokens.completion != null ? num(s.tokens.completion) : null),
    meta('history.masked', masked || null),
    meta('history.numbers', run.register_numbers.length ? run.register_numbers.join(', ') : null),
  );

  // Actions
  el.audit = h('input', { type: 'checkbox', id: 'history-audit', disabled: !run.approvals.length });
  const actions = h(
    'div',
    { class: 'detail-actions' },
    h('button', { type: 'button', class: 'btn btn-primary', id: 'history-reopen', disabled: !texts, onclick: reopen }, icon('open', 'flip-rtl'), h('span', { i18n: 'history.reopen' })),
    h('button', { type: 'button', class: 'btn', id: 'history-export', disabled: !texts || !answer.trim(), onclick: () => exportRun(false) }, icon('download'), h('span', { i18n: 'history.export' })),
    h('button', { type: 'button', class: 'btn', id: 'history-audit-sheet', i18nTitle: 'history.audit_sheet_hint', onclick: auditSheet }, icon('shield'), h('span', { i18n: 'history.audit_sheet' })),
    framed ? h('button', { type: 'button', class: 'btn', id: 'history-final', disabled: !texts || !answer.trim(), i18nTitle: 'export.final_hint', onclick: () => exportRun(true) }, icon('register'), h('span', { i18n: 'export.final' })) : null,
    h('span', { class: 'spacer' }),
    deleteButton(s),
  );
  const auditRow = h('label', { class: 'check', title: run.approvals.length ? null : t('history.audit_needs_approval') }, el.audit, h('span', { i18n: 'history.audit' }));
  el.result = h('div', { class: 'export-result', id: 'history-result', hidden: true, role: 'status' });

  const parts = [head, dl, actions, auditRow, el.result];
  if (!texts) parts.push(h('div', { class: 'notice notice-warn', id: 'history-no-texts' }, icon('info'), h('span', { i18n: 'history.no_texts' })));
  else if ((texts.inputs || []).length) {
    parts.push(h('p', { class: 'help history-files' }, h('span', { i18n: 'history.files', i18nArgs: { list: iso(texts.inputs.map((f) => f.name).join(', ')) } })));
  }
  parts.push(approvalsSection(run));
  if (texts) {
    parts.push(
      h('details', { class: 'prompt-panel', id: 'history-outgoing' }, h('summary', { class: 'prompt-summary' }, icon('shield'), h('span', { i18n: 'outgoing.title_past' })), h('div', { class: 'prompt-body' }, outgoingView(fromRecord(run), {}))),
      h('section', { class: 'detail-section' }, h('h3', { class: 'detail-h', i18n: texts.edited != null ? 'history.answer_edited' : 'history.answer' }), answerView(answer)),
    );
    if (edits.length) parts.push(editsSection(edits));
  } else if (s.pseudonymisation_override) {
    const ov = s.pseudonymisation_override;
    parts.push(h('p', { class: 'notice notice-warn' }, icon('alert'), h('span', { i18n: 'history.override', i18nArgs: { name: iso(ov.confirmed_by), when: iso(when(ov.at)) } })));
  }
  if (run.exports.length) parts.push(exportsSection(run.exports));
  el.detail.replaceChildren(...parts.filter(Boolean));
  translate(el.detail);
}

/** The answer rendered as the template screen's preview renders it (the Markdown renderer is
 * already loaded with that screen; fetched here if not). */
function answerView(text) {
  const box = h('div', { class: 'markdown history-answer', id: 'history-answer', dir: 'auto' });
  import('../markdown.js').then(
    (m) => box.replaceChildren(m.renderMarkdown(text)),
    () => (box.textContent = text),
  );
  return box;
}

function deleteButton(s) {
  const b = h('button', { type: 'button', class: 'btn btn-small btn-ghost btn-danger-text', id: 'history-delete', disabled: !s.has_texts }, icon('trash'), h('span', { i18n: 'history.delete' }));
  b.addEventListener('click', () => armed(b, 'history.delete_confirm', 'history.delete', () => removeRun(s.id)));
  return b;
}

function approvalsSection(run) {
  const name = h('input', { type: 'text', id: 'approve-name', autocomplete: 'name', dir: 'auto' });
  const fn = h('input', { type: 'text', id: 'approve-function', autocomplete: 'organization-title', dir: 'auto' });
  const btn = h('button', { type: 'submit', class: 'btn', id: 'history-approve' }, icon('check'), h('span', { i18n: 'history.approve' }));
  const form = h(
    'form',
    { class: 'approve-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); approve(run.summary.id, name, fn); } },
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'approve-name', i18n: 'history.approve_name' }), name),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'approve-function', i18n: 'history.approve_function' }), fn),
    btn,
  );
  const items = run.approvals.map((a) => h('li', {}, icon('check'), h('bdi', { text: a.name }), ' — ', h('bdi', { text: a.function }), ' ', h('span', { class: 'muted', dir: 'ltr', text: when(a.at) })));
  return h(
    'section',
    { class: 'detail-section', id: 'history-approvals' },
    h('h3', { class: 'detail-h', i18n: 'history.approvals' }),
    items.length ? h('ul', { class: 'approvals' }, items) : h('p', { class: 'help', i18n: 'history.no_approval' }),
    form,
  );
}

function editsSection(edits) {
  return h(
    'section',
    { class: 'detail-section', id: 'history-edits' },
    h('h3', { class: 'detail-h', i18n: 'history.edits', i18nArgs: { n: edits.length } }),
    ...edits.map((e) => h('details', { class: 'edit-version' }, h('summary', {}, h('span', { i18n: 'history.edit_version', i18nArgs: { n: e.version } }), ' ', h('span', { class: 'muted', dir: 'ltr', text: when(e.saved_at) })), h('pre', { class: 'prompt-text', dir: 'auto', text: e.text }))),
  );
}

function exportsSection(exports) {
  return h(
    'section',
    { class: 'detail-section', id: 'history-exports' },
    h('h3', { class: 'detail-h', i18n: 'history.exports' }),
    h('ul', { class: 'exports' }, exports.map((x) => h('li', {}, h('span', { class: 'chip', text: '.' + x.format }), ' ', h('code', { dir: 'ltr', title: x.path, text: basename(x.path) }), ' ', h('span', { class: 'muted', dir: 'ltr', text: when(x.at) })))),
  );
}

async function reopen() {
  if (!detail) return;
  const ok = await reopenRun(detail.run);
  if (ok) toast('history.reopened');
}

async function exportRun(final) {
  if (!detail || !detail.run.texts) return;
  const { run } = detail;
  const texts = run.texts;
  const answer = texts.edited != null ? texts.edited : texts.answer;
  const btn = el.detail.querySelector(final ? '#history-final' : '#history-export');
  btn.disabled = true;
  btn.classList.add('busy');
  try {
    const r = await api.exportAnswer(run.summary.template_id, { values: texts.form || {}, files: {} }, answer, 'docx', run.summary.model || null, run.summary.id, final, el.audit.checked);
    if (!r) {
      toast('export.cancelled', null, 'info');
      return;
    }
    clearError();
    await select(run.summary.id);
    showSaved(el.result, r.path, { lead: r.number ? h('p', { class: 'export-number' }, h('span', { i18n: 'export.numbered', i18nArgs: { number: iso(r.number) } })) : null });
  } catch (e) {
    showError(e);
  } finally {
    btn.disabled = false;
    btn.classList.remove('busy');
  }
}

/** The run's audit sheet, a one-page .docx of its own (save dialog): metadata only, so it is
 * there for a run whose texts were not kept too, and says so. */
async function auditSheet() {
  if (!detail) return;
  const { run } = detail;
  const btn = el.detail.querySelector('#history-audit-sheet');
  btn.disabled = true;
  btn.classList.add('busy');
  try {
    const path = await api.historyAuditSheet(run.summary.id, lang());
    if (!path) {
      toast('export.cancelled', null, 'info');
      return;
    }
    clearError();
    showSaved(el.result, path, { lead: h('p', { class: 'export-number', i18n: run.texts ? 'history.audit_sheet_saved' : 'history.audit_sheet_metadata' }) });
  } catch (e) {
    showError(e);
  } finally {
    btn.disabled = false;
    btn.classList.remove('busy');
  }
}

async function approve(id, name, fn) {
  if (name.value.trim().length < 2 || fn.value.trim().length < 2) {
    (name.value.trim().length < 2 ? name : fn).focus();
    toast('history.approve_incomplete', null, 'info');
    return;
  }
  try {
    await api.historyApprove(id, name.value, fn.value);
    toast('history.approved');
    await select(id);
    const list0 = list.items.find((x) => x.run.id === id);
    if (list0) list0.run.approvals += 1;
    renderList();
  } catch (e) {
    showError(e);
  }
}

async function removeRun(id) {
  try {
    await api.historyDelete(id);
    toast('history.deleted');
    await select(id);
    const item = list.items.find((x) => x.run.id === id);
    if (item) item.run.has_texts = false;
    renderList();
  } catch (e) {
    showError(e);
  }
}

async function purge() {
  try {
    const r = await api.historyPurge();
    toast('history.purged', { n: num(r.runs) });
    await reload();
  } catch (e) {
    showError(e);
  }
}

// ---------------------------------------------------------------------------------------------
// The register

async function loadRegister() {
  let entries;
  const year = el.year.value ? Number(el.year.value) : null;
  try {
    entries = await api.registerList(year);
  } catch (e) {
    showError(e);
    return;
  }
  if (year == null) {
    // The years on offer: every year the register has numbers for, and this one.
    const years = [...new Set([new Date().getFullYear(), ...entries.map((e) => e.year)])].sort((a, b) => b - a);
    el.year.replaceChildren(h('option', { value: '', i18n: 'register.all_years' }), ...years.map((y) => h('option', { value: String(y), text: String(y) })));
    translate(el.year);
  }
  const head = h('tr', {}, ...['register.number', 'register.date', 'register.addressee', 'register.object', 'register.file'].map((k) => h('th', { scope: 'col', i18n: k })));
  const rows = entries.map((e) =>
    h(
      'tr',
      {},
      h('td', {}, h('code', { dir: 'ltr', text: e.number })),
      h('td', { dir: 'ltr', text: e.date.split('-').reverse().join('/') }),
      h('td', { dir: 'auto', text: e.addressee }),
      h('td', { dir: 'auto', text: e.object }),
      h('td', {}, e.file ? h('code', { dir: 'ltr', title: e.file, text: basename(e.file) }) : h('span', { class: 'muted', text: '—' })),
    ),
  );
  el.registerTable.replaceChildren(
    entries.length ? h('table', { class: 'register-table', id: 'register-table' }, h('thead', {}, head), h('tbody', {}, rows)) : h('p', { class: 'help', id: 'register-empty', i18n: 'register.empty' }),
  );
  translate(el.registerTable);
  el.registerExport.disabled = !entries.length;
}

async function exportRegister() {
  el.registerExport.disabled = true;
  try {
    const path = await api.registerExport(el.year.value ? Number(el.year.value) : null, lang());
    if (!path) {
      toast('export.cancelled', null, 'info');
      return;
    }
    showSaved(el.registerResult, path);
  } catch (e) {
    showError(e);
  } finally {
    el.registerExport.disabled = false;
  }
}
