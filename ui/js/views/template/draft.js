// Nothing typed or written is lost: the form and the answer are saved as the draft (debounced,
// and at once before sending or when the window goes away), and the templates opened in this
// session keep their inputs when the user switches between them.

import * as api from '../../api.js';
import { debounce } from '../../dom.js';
import { setText, locale } from '../../i18n.js';
import { ctx } from './ctx.js';
import { formValues } from './form.js';

/** Inputs and answers of the templates opened in this session, by id (switching back restores). */
export const session = new Map();

/** Keeps the open template's state for this session, before another one is opened. */
export function stash() {
  const st = ctx.st;
  if (!st) return;
  session.set(st.id, { values: formValues(), files: { ...st.files }, answer: st.answer, partial: st.partial, model: st.model, runId: st.runId });
}

export const saveSoon = debounce(() => saveNow(), 500, 2000);
let saving = Promise.resolve();

export function saveNow() {
  const { st, el } = ctx;
  if (!st || (!st.dirty && !st.answer)) return saving;
  saveSoon.cancel();
  const draft = { template: st.id, values: formValues(), files: { ...st.files }, answer: st.answer, runId: st.runId || undefined, model: st.model || undefined };
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
