// The answer: the editor and its preview (painted once per animation frame while streaming, in
// chunks so that a long answer stays cheap), what the restoring step reported (placeholders the
// model invented are marked in the preview, the ones it dropped listed), copy, and the exports
// (.docx, .md, .xlsx, and the final version that a letter with no N° gets numbered by).

import * as api from '../../api.js';
import { h, icon, reveal, showError, showSaved, toast } from '../../dom.js';
import { translate, iso } from '../../i18n.js';
import { renderMarkdown } from '../../markdown.js';
import { ctx } from './ctx.js';
import { inputs, markFieldFromError } from './form.js';

let paintScheduled = false;
let paintCost = 0;
let lastPaint = 0;

/**
 * Repaints the preview at most once per animation frame, and less often when the answer is long
 * enough for a repaint to cost real time, so a long stream never freezes the window.
 */
export function schedulePaint() {
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

export function paintNow() {
  const { st, el } = ctx;
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
    markInvented();
  }
  paintCost = performance.now() - t0;
}

function paintStream() {
  const { st, el } = ctx;
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

/**
 * Placeholders the model made up (never sent, so nothing to restore): each occurrence in the
 * preview is wrapped in <mark class="invented">, for the user to check that passage.
 */
function markInvented() {
  const { st, el } = ctx;
  const invented = (st.restore && st.restore.invented) || [];
  if (!invented.length) return;
  const walker = document.createTreeWalker(el.preview, NodeFilter.SHOW_TEXT);
  const hits = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) if (invented.some((p) => n.data.includes(p))) hits.push(n);
  for (const node of hits) {
    const frag = document.createDocumentFragment();
    let rest = node.data;
    for (;;) {
      let at = -1;
      let tag = '';
      for (const p of invented) {
        const i = rest.indexOf(p);
        if (i >= 0 && (at < 0 || i < at)) [at, tag] = [i, p];
      }
      if (at < 0) break;
      if (at) frag.append(rest.slice(0, at));
      frag.append(h('mark', { class: 'invented', i18nTitle: 'restore.invented_title', text: tag }));
      rest = rest.slice(at + tag.length);
    }
    if (rest) frag.append(rest);
    node.replaceWith(frag);
  }
}

/** After a pseudonymised run: what was restored, what the model invented or dropped. */
export function flagRestore() {
  const { st, el } = ctx;
  const r = st.restore;
  if (!r) {
    el.restoreNote.hidden = true;
    return;
  }
  const invented = r.invented || [];
  const dropped = r.dropped || [];
  const parts = [h('p', {}, h('span', { i18n: 'restore.restored', i18nArgs: { n: r.restored || 0 } }))];
  if (invented.length) parts.push(h('p', { class: 'restore-invented', id: 'restore-invented' }, h('span', { i18n: 'restore.invented', i18nArgs: { list: iso(invented.join(', ')) } })));
  if (dropped.length) parts.push(h('p', { class: 'restore-dropped', id: 'restore-dropped' }, h('span', { i18n: 'restore.dropped', i18nArgs: { list: iso(dropped.join(', ')) } })));
  el.restoreNote.className = 'notice ' + (invented.length ? 'notice-warn' : 'notice-ok');
  el.restoreNote.replaceChildren(icon(invented.length ? 'flag' : 'shield'), h('div', {}, ...parts));
  translate(el.restoreNote);
  el.restoreNote.hidden = false;
}

export function setAnswerState(state) {
  const el = ctx.el;
  el.area.dataset.state = state;
  el.empty.hidden = state !== 'empty';
  el.preview.hidden = state === 'empty';
}

export function setTab(tab) {
  const el = ctx.el;
  el.area.dataset.tab = tab;
  el.tabPreview.setAttribute('aria-selected', String(tab === 'preview'));
  el.tabEdit.setAttribute('aria-selected', String(tab === 'edit'));
  el.tabPreview.tabIndex = tab === 'preview' ? 0 : -1;
  el.tabEdit.tabIndex = tab === 'edit' ? 0 : -1;
}

export function updatePartial() {
  ctx.el.partialNote.hidden = !ctx.st.partial;
}

export function onEditorInput() {
  const { st, el } = ctx;
  if (!st || st.generating) return;
  st.answer = el.editor.value;
  schedulePaint();
  ctx.updateButtons();
  ctx.saveSoon();
}

/** Links in the answer are not followed inside the app: a click copies the address instead. */
export function onPreviewClick(e) {
  const a = e.target.closest && e.target.closest('a');
  if (!a) return;
  e.preventDefault();
  const href = a.getAttribute('href') || '';
  if (navigator.clipboard && href) navigator.clipboard.writeText(href).then(() => toast('answer.link_copied', { url: href }), () => {});
}

// ---------------------------------------------------------------------------------------------
// Copy and export

export async function copyAnswer() {
  const { st, el } = ctx;
  try {
    await navigator.clipboard.writeText(st.answer);
    toast('answer.copied');
  } catch {
    // Older webviews: copy through a selection.
    el.editor.focus();
    el.editor.select();
    const ok = document.execCommand && document.execCommand('copy');
    toast(ok ? 'answer.copied' : 'answer.copy_failed', null, ok ? 'ok' : 'info');
  }
}

/** Whether the Markdown has a table: a line starting with `|` followed by a `|---` separator line. */
export function hasTable(md) {
  return /^ {0,3}\|.*\r?\n {0,3}\|[ \t]*:?-+/m.test(md || '');
}

/** The field holding the letter's N°, if the template's frame has one. */
export function referenceField() {
  const st = ctx.st;
  return (st && st.tpl.letter && st.tpl.letter.reference) || null;
}

/** `format`: docx, md, xlsx, or "final" (the .docx of the final version: numbered if it has no N°). */
export async function doExport(format) {
  const { st, el } = ctx;
  if (!st || !st.answer.trim()) return;
  const final = format === 'final';
  const btn = { docx: el.exportDocx, xlsx: el.exportXlsx, md: el.exportMd, final: el.exportFinal }[format] || el.exportMd;
  btn.disabled = true;
  btn.classList.add('busy');
  try {
    const r = await api.exportAnswer(st.id, inputs(), st.answer, final ? 'docx' : format, st.model || null, st.runId || null, final);
    if (!r) {
      toast('export.cancelled', null, 'info');
      return;
    }
    const field = referenceField();
    if (r.number && field && ctx.el.controls[field]) {
      // The number is the letter's now: later exports print it instead of taking another one.
      ctx.el.controls[field].set(r.number);
      ctx.changed();
    }
    showExported(r.path, r.number);
  } catch (e) {
    showError(e);
    markFieldFromError(e);
  } finally {
    btn.classList.remove('busy');
    ctx.updateButtons();
  }
}

function showExported(path, number) {
  const el = ctx.el;
  const lead = number ? h('p', { class: 'export-number', id: 'export-number' }, h('span', { i18n: 'export.numbered', i18nArgs: { number: iso(number) } })) : null;
  showSaved(el.exportResult, path, { lead, openId: 'open-export' });
  reveal(el.exportResult);
}

