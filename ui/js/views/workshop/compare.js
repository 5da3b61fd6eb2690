// "Voir le prompt", editable for one run: once an answer has come from an edited prompt, the
// answer before and the answer after side by side, each with the prompt that produced it, and a
// way back to the original prompt.
//
// Deliberately not here: the generation and the prompt's editing (views/workshop.js, which
// reports each answer through `add`), the rubric. Every text shown (prompts, answers) is set as
// text or through the Markdown renderer, which builds DOM nodes: never as markup.

import { h, icon } from '../../dom.js';
import { renderMarkdown } from '../../markdown.js';

/**
 * `store`: an object that outlives the screen's rebuilds (the exercise's state): its `compared`
 * array keeps the last two answers. `onReset()`: the original prompt is wanted back.
 * Returns `{el, add(run), clear()}`; `run = {text, user, edited, model}` (`user`: the prompt sent).
 */
export function compareBox(store, onReset) {
  if (!Array.isArray(store.compared)) store.compared = [];
  const el = h('section', { class: 'cmp', id: 'ws-compare', 'aria-live': 'polite', hidden: true });

  function column(run, side, key) {
    return h(
      'div',
      { class: 'cmp-col cmp-' + side, id: 'ws-compare-' + side, dataset: { edited: String(run.edited) } },
      h('h4', { class: 'cmp-head' }, h('span', { class: 'chip ' + (side === 'after' ? 'ws-edited' : 'chip-quiet'), i18n: key }), run.model ? h('span', { class: 'cmp-model', i18n: 'cmp.model', i18nArgs: { model: run.model } }) : null),
      h('details', { class: 'cmp-prompt' }, h('summary', { i18n: 'cmp.prompt' }), h('pre', { class: 'prompt-text ws-pre cmp-prompt-text', dir: 'auto', text: run.user })),
      h('div', { class: 'markdown ws-preview cmp-answer', dir: 'auto' }, renderMarkdown(run.text)),
    );
  }

  function paint() {
    const runs = store.compared;
    const [before, after] = runs.length >= 2 ? runs.slice(-2) : [null, null];
    // A comparison once the latest answer came from an edited prompt that differs from the one
    // before: a plain second generation on the same prompt is not one.
    if (!after || !after.edited || before.user === after.user || store.compareClosed) {
      el.hidden = true;
      el.replaceChildren();
      return;
    }
    const reset = h('button', { type: 'button', class: 'btn btn-small btn-ghost', id: 'ws-compare-reset' }, icon('refresh'), h('span', { i18n: 'cmp.reset' }));
    reset.addEventListener('click', () => onReset());
    const close = h('button', { type: 'button', class: 'btn btn-small btn-ghost', id: 'ws-compare-close' }, icon('close'), h('span', { i18n: 'cmp.close' }));
    close.addEventListener('click', () => {
      store.compareClosed = true;
      paint();
    });
    el.replaceChildren(
      h('h3', { class: 'ws-h3', i18n: 'cmp.title' }),
      h('p', { class: 'help', i18n: 'cmp.lead' }),
      h('p', { class: 'notice', id: 'ws-compare-same', i18n: 'cmp.same', hidden: before.text.trim() !== after.text.trim() }),
      h('div', { class: 'cmp-cols' }, column(before, 'before', before.edited ? 'cmp.before_edited' : 'cmp.before'), column(after, 'after', 'cmp.after')),
      h('div', { class: 'ws-row' }, reset, close),
    );
    el.hidden = false;
  }

  function add(run) {
    store.compared = [...store.compared, run].slice(-2);
    store.compareClosed = false;
    paint();
  }

  /** Forgets the answers compared (the prompt is back to its original, or the user closed it). */
  function clear() {
    store.compared = [];
    paint();
  }

  paint();
  return { el, add, clear };
}
