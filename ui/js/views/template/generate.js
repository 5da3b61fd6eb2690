// Sending: the "what leaves this computer" panel (the exact messages as they will be sent, with
// their placeholders, the replacements table, the route and data class), the one-run unmasked
// confirmation, and the generation itself (streamed, stoppable; a cut stream keeps its text).
// A fixed template ("Remplir") involves no model: the answer is its wording filled from the form.

import * as api from '../../api.js';
import { h, icon, reveal, showError, clearError, toast, debounce } from '../../dom.js';
import { t, setText, translate, errorKey, noticeKey, num, seconds, iso } from '../../i18n.js';
import { outgoingView } from '../outgoing.js';
import { ctx } from './ctx.js';
import { inputs, validateAll, fieldOf, markFieldFromError, fieldLabel } from './form.js';
import { paintNow, schedulePaint, setAnswerState, updatePartial, flagRestore } from './answer.js';

export function isFixed() {
  return !!(ctx.st && ctx.st.tpl.generate === 'fixed');
}

// ---------------------------------------------------------------------------------------------
// The panel

export function buildPromptPanel() {
  const el = ctx.el;
  el.promptBody = h('div', { class: 'outgoing-body', id: 'outgoing-body' });
  el.promptError = h('div', { class: 'prompt-error', id: 'prompt-error', hidden: true, role: 'status' });
  el.promptMeta = h('p', { class: 'prompt-meta', id: 'prompt-meta' });
  el.unmaskBar = h('div', { class: 'unmask-bar', id: 'unmask-bar', hidden: true });
  el.prompt = h(
    'details',
    { id: 'prompt-panel', class: 'prompt-panel' },
    h('summary', { class: 'prompt-summary' }, icon('shield'), h('span', { i18n: 'outgoing.title' }), h('span', { class: 'summary-hint', i18n: 'outgoing.hint' })),
    h('div', { class: 'prompt-body' }, el.promptMeta, el.promptError, el.promptBody, el.unmaskBar),
  );
  el.prompt.addEventListener('toggle', () => {
    if (!el.prompt.open) return;
    renderPromptNow();
    requestAnimationFrame(() => reveal(el.prompt.querySelector('.prompt-body')));
  });
  return el.prompt;
}

export const refreshPrompt = debounce(() => renderPromptNow(), 300);

/** Renders the panel from what the run would send now (only while it is open). */
export async function renderPromptNow() {
  const { st, el } = ctx;
  if (!st || !el.prompt.open) return;
  const seq = ++st.promptSeq;
  const id = st.id;
  el.prompt.classList.add('loading');
  try {
    const p = await api.renderPrompt(id, inputs(), null, st.unmaskedBy);
    if (!ctx.st || ctx.st.id !== id || seq !== ctx.st.promptSeq) return;
    st.outgoing = p.outgoing;
    el.promptBody.replaceChildren(outgoingView(p.outgoing, { ids: true, origin: fieldLabel }));
    el.promptError.hidden = true;
    el.promptBody.hidden = false;
    setText(el.promptMeta, 'prompt.meta', { lang: t('language.' + p.language), chars: num((p.system || '').length + (p.user || '').length) });
    el.promptMeta.hidden = false;
    renderUnmaskBar();
  } catch (e) {
    if (!ctx.st || ctx.st.id !== id || seq !== ctx.st.promptSeq) return;
    st.outgoing = null;
    el.promptBody.hidden = true;
    el.promptMeta.hidden = true;
    el.unmaskBar.hidden = true;
    el.promptError.hidden = false;
    const name = fieldOf(e);
    const f = name && st.tpl.fields.find((x) => x.name === name);
    const title = h('p', { class: 'prompt-error-title' });
    if (e.code === 'template.missing_field' && f) setText(title, 'prompt.missing_field', { label: f.label });
    else setText(title, errorKey(e.code));
    el.promptError.replaceChildren(icon('info'), h('div', {}, title, h('p', { class: 'prompt-error-detail', dir: 'auto', text: e.message })));
  } finally {
    if (ctx.st && seq === ctx.st.promptSeq) el.prompt.classList.remove('loading');
  }
}

/**
 * Under the panel, for a run to a sovereign or cloud endpoint whose personal data is
 * pseudonymised: "send unmasked for this run" (behind a confirmation), or why the machine's
 * policy forbids it; once confirmed, who confirmed and a way to take it back.
 */
function renderUnmaskBar() {
  const { st, el } = ctx;
  const o = st.outgoing;
  const mode = o && o.protection && o.protection.mode;
  const bar = el.unmaskBar;
  if (st.unmaskedBy && mode === 'unmasked') {
    bar.className = 'unmask-bar danger';
    bar.replaceChildren(
      icon('alert'),
      h('p', {}, h('span', { i18n: 'unmask.active', i18nArgs: { name: iso(st.unmaskedBy) } })),
      h('button', { type: 'button', class: 'btn btn-small', id: 'unmask-cancel', onclick: () => setUnmasked(null) }, h('span', { i18n: 'unmask.cancel' })),
    );
  } else if (o && o.route === 'endpoint' && mode === 'pseudonymised' && (o.masked || []).length) {
    const policy = ctx.policy || {};
    bar.className = 'unmask-bar';
    if (policy.forcePseudonymisation) {
      bar.replaceChildren(icon('lock'), h('p', { class: 'locked-reason' }, h('span', { i18n: 'unmask.locked', i18nArgs: { path: iso(policy.path || '') } })));
    } else {
      bar.replaceChildren(h('button', { type: 'button', class: 'btn btn-small btn-ghost btn-danger-text', id: 'unmask-open', onclick: openUnmaskDialog }, icon('alert'), h('span', { i18n: 'unmask.open' })));
    }
  } else {
    bar.hidden = true;
    return;
  }
  translate(bar);
  bar.hidden = false;
}

function setUnmasked(name) {
  ctx.st.unmaskedBy = name || null;
  renderPromptNow();
}

/** The confirmation: the values listed, a name typed and a box ticked before the button works. */
function openUnmaskDialog() {
  const { st } = ctx;
  const o = st.outgoing;
  if (!o) return;
  const name = h('input', { type: 'text', id: 'unmask-name', autocomplete: 'name', dir: 'auto', 'aria-describedby': 'unmask-name-help' });
  const check = h('input', { type: 'checkbox', id: 'unmask-check' });
  const confirm = h('button', { type: 'button', class: 'btn btn-danger', id: 'unmask-confirm', disabled: true }, h('span', { i18n: 'unmask.confirm' }));
  const cancel = h('button', { type: 'button', class: 'btn', id: 'unmask-dismiss' }, h('span', { i18n: 'unmask.dismiss' }));
  const sync = () => (confirm.disabled = !(check.checked && name.value.trim().length >= 2));
  name.addEventListener('input', sync);
  check.addEventListener('change', sync);
  const kinds = {};
  for (const m of o.masked || []) kinds[m.kind] = (kinds[m.kind] || 0) + 1;
  const dialog = h(
    'dialog',
    { class: 'dialog unmask-dialog', id: 'unmask-dialog', 'aria-labelledby': 'unmask-title' },
    h('h2', { class: 'dialog-title', id: 'unmask-title' }, icon('alert'), h('span', { i18n: 'unmask.title' })),
    h('p', { i18n: 'unmask.text', i18nArgs: { profile: iso(o.profile || ''), n: (o.masked || []).length } }),
    h('p', { class: 'dialog-class' }, h('span', { class: 'chip class-' + o.dataClass, i18n: 'dataclass.' + o.dataClass }), ' ', h('span', { i18n: 'dataclass.' + o.dataClass + '_help' })),
    h('p', { class: 'help', i18n: 'unmask.recorded' }),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'unmask-name', i18n: 'unmask.name' }), name, h('p', { class: 'help', id: 'unmask-name-help', i18n: 'unmask.name_help' })),
    h('label', { class: 'check' }, check, h('span', { i18n: 'unmask.check' })),
    h('div', { class: 'dialog-actions' }, cancel, confirm),
  );
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  cancel.addEventListener('click', close);
  dialog.addEventListener('cancel', () => dialog.remove());
  confirm.addEventListener('click', () => {
    const who = name.value.trim();
    close();
    setUnmasked(who);
    toast('unmask.confirmed', { name: iso(who) }, 'info');
  });
  translate(dialog);
  document.body.appendChild(dialog);
  dialog.showModal();
  name.focus();
}

// ---------------------------------------------------------------------------------------------
// Generation

let statsTimer = null;

/** A notice `{code, message}` from the shell: its translated text, the message as the detail. */
export function showNotice(n) {
  const el = ctx.el;
  const key = noticeKey(n.code);
  const text = key ? h('span', { i18n: key, title: n.message }) : h('span', { dir: 'auto', text: n.message || '' });
  el.notice.replaceChildren(icon('info'), text);
  el.notice.hidden = false;
}

/**
 * The line beside the buttons: elapsed time and tokens while streaming, then the outcome. Kept as
 * raw figures in st.stats so that a language switch formats them again.
 */
function updateStats(final) {
  const st = ctx.st;
  if (!st) return;
  const r = st.result;
  if (final && r) {
    const tokens = r.usage && r.usage.completionTokens != null ? r.usage.completionTokens : st.deltas;
    const key = isFixed() ? 'stats.filled' : r.usage ? 'stats.done' : 'stats.done_approx';
    st.stats = { key, ms: r.elapsedMs, tokens, model: r.model || '—', profile: r.profile || '—' };
  } else if (st.generating) {
    st.stats = { key: 'stats.running', ms: performance.now() - st.started, tokens: st.deltas };
  }
  renderStats();
}

export function renderStats() {
  const { st, el } = ctx;
  const s = st && st.stats;
  if (!s) {
    el.stats.textContent = '';
    delete el.stats.dataset.i18n;
    return;
  }
  setText(el.stats, s.key, { time: seconds(s.ms), tokens: num(s.tokens), model: s.model });
  if (s.profile && !isFixed()) el.stats.title = t('stats.profile', { profile: s.profile, model: s.model });
  else el.stats.removeAttribute('title');
}

export async function startGenerate() {
  const { st, el } = ctx;
  if (!st || st.generating) return;
  clearError();
  el.notice.hidden = true;
  el.restoreNote.hidden = true;
  if (!validateAll()) {
    showError({ code: 'form.incomplete', message: '' }, { titleKey: 'form.incomplete' });
    return;
  }
  const id = st.id;
  const me = st;
  ctx.saveNow(); // a checkpoint: what was typed is on disk before anything is sent
  me.previous = me.answer.trim() ? me.answer : null;
  me.previousPartial = me.partial;
  me.previousModel = me.model;
  me.previousRun = me.runId;
  me.model = null;
  me.runId = null;
  me.restore = null;
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
  ctx.updateButtons();
  updateStats(false);
  statsTimer = setInterval(() => updateStats(false), 200);
  el.stop.focus();

  const onEvent = (msg) => {
    if (ctx.st !== me || !me.generating) return;
    if (msg && msg.event === 'delta') {
      me.answer += (msg.data && msg.data.text) || '';
      me.deltas++;
      schedulePaint();
      ctx.saveSoon();
    } else if (msg && msg.event === 'notice') {
      showNotice(msg.data || {});
    }
  };

  // Sending unmasked is for this one run: the confirmation is used once.
  const unmaskedBy = me.unmaskedBy;
  me.unmaskedBy = null;
  let error = null;
  try {
    const r = await api.generate(id, inputs(), null, onEvent, unmaskedBy);
    me.result = r;
    me.model = r.model || null;
    me.runId = r.runId || null;
    me.restore = r.restore || null;
    // The shell's text is the whole answer; the deltas may have been repainted lazily.
    if (typeof r.text === 'string' && r.text.length >= me.answer.length) me.answer = r.text;
    if (r.finishReason === 'length') showNotice({ code: 'answer.truncated', message: t('answer.truncated') });
  } catch (e) {
    error = e;
  }
  clearInterval(statsTimer);
  me.generating = false;
  if (ctx.st !== me) return; // the user went to another template meanwhile: its state is stashed
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
      me.runId = me.previousRun;
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
  flagRestore();
  if (!error) el.preview.scrollTop = 0; // the finished answer reads from its start
  ctx.updateButtons();
  updatePartial();
  if (el.prompt.open) renderPromptNow();
  ctx.saveNow();
}

export async function stopGenerate() {
  const { st, el } = ctx;
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
