// What the template screen's modules share: where the screen lives, the open template's state,
// its elements, and the hooks one module calls in another (set by ../template.js), so that
// form.js, generate.js, answer.js and draft.js never import each other in a circle.

export const ctx = {
  /** #template-view */
  root: null,
  /**
   * The open template: `{id, tpl, lang, files, answer, partial, model, runId, restore, generating,
   * unmaskedBy, ...}`; null before the first one is opened.
   */
  st: null,
  /** Elements of the screen, by role (`el.form`, `el.preview`...) and field controllers (`el.controls`). */
  el: {},
  /** What the machine's policy locks (`appInfo().policy`), or null. */
  policy: null,
  /** Something the user can lose changed (form, file, answer): refresh the prompt, save the draft. */
  changed: () => {},
  /** Save the draft now (a checkpoint before sending). */
  saveNow: () => Promise.resolve(),
  /** Save the draft shortly (debounced). */
  saveSoon: () => {},
  /** The action buttons' enabled state follows the state. */
  updateButtons: () => {},
};
