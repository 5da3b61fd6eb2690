// The one module that talks to the shell (src-tauri): one wrapper per command of
// docs/desktop-api.md, and the `file-dropped` event. Nothing else in the UI calls `invoke`.
//
// Every failure rejects with `{code, message, field?}`: `code` is stable and the UI translates it,
// `message` (English, from katib-core) is shown as the detail, `field` names the form field it is
// about (if any). Rejections that do not come from a Katib command (a refused permission, a
// missing shell) are normalised to the same shape.

function tauri() {
  const t = window.__TAURI__;
  if (!t || !t.core) {
    throw { code: 'internal.no_shell', message: 'window.__TAURI__ is not available (not running inside Katib)' };
  }
  return t;
}

/** Any rejection value -> {code, message}. */
export function normaliseError(e) {
  if (e && typeof e === 'object' && typeof e.code === 'string') {
    const out = { code: e.code, message: typeof e.message === 'string' ? e.message : String(e.message ?? '') };
    if (typeof e.field === 'string') out.field = e.field;
    return out;
  }
  if (typeof e === 'string') return { code: 'internal', message: e };
  if (e instanceof Error) return { code: 'internal', message: e.message };
  return { code: 'internal', message: String(e) };
}

async function call(cmd, args) {
  try {
    return await tauri().core.invoke(cmd, args);
  } catch (e) {
    throw normaliseError(e);
  }
}

/**
 * Calls a streaming command: `args` plus `onEvent`, a Channel whose messages go to `onEvent`
 * (a rejected promise, as for any call, when Tauri is missing).
 */
function streamed(cmd, args, onEvent) {
  let channel;
  try {
    channel = new (tauri().core.Channel)();
  } catch (e) {
    return Promise.reject(normaliseError(e));
  }
  channel.onmessage = onEvent;
  return call(cmd, { ...args, onEvent: channel });
}

/** Once, when the first screen is painted (the start-up benchmark's mark). */
export const appReady = () => call('app_ready');
/**
 * `{version, language, profile, practice, configDir, policy}`; `policy` = what the machine's
 * policy locks: `{path, forcePseudonymisation, allowedDataClasses, allowedProfiles,
 * historyRequired, historyRetentionDays}`.
 */
export const appInfo = () => call('app_info');
/** Remembers the UI language ("fr" | "ar" | "en"). */
export const setLanguage = (lang) => call('set_language', { lang });
/**
 * `[{id, category, categoryLabel, title, description, output, export, generate}]` in `lang` (null:
 * the saved one). `category`: letter | note | act | spreadsheet | summary; `generate`: "model" |
 * "fixed" (no model: the answer is the template's wording filled from the form).
 */
export const listTemplates = (lang) => call('list_templates', { lang });
/**
 * One template with its fields and samples, in `lang`. Fields: `{name, type, required, label, help,
 * default, defaultByLang, options, accept, extensions, personal, showWhen, requiredWhen}`; `type`
 * "signatory" lists the configured signatories as options (value = id, label = function).
 */
export const getTemplate = (id, lang) => call('get_template', { id, lang });
/** `{values, files}` of a sample; `name` null = the default sample. */
export const loadSample = (template, name) => call('load_sample', { template, name: name ?? null });
/**
 * `{system, user, language, outgoing}`; `outgoing` = what leaves this computer: `{route, profile,
 * dataClass, protection: {mode}, messages, masked: [{placeholder, kind, original, origins, count}]}`.
 * Rejects with the field error while the form is incomplete. `unmaskedBy`: the name of whoever
 * confirmed sending personal data unmasked for this run (null: pseudonymised as the profile says).
 */
export const renderPrompt = (template, inputs, profile, unmaskedBy) =>
  call('render_prompt', { template, inputs, profile: profile ?? null, unmaskedBy: unmaskedBy ?? null });

/**
 * Streams an answer. `onEvent` receives `{event: "delta", data: {text}}` and
 * `{event: "notice", data: {code, message}}`. `profile` null = the default profile (or practice
 * mode). Resolves `{text, finishReason, usage, elapsedMs, model, profile, runId, restore}`;
 * `restore` = `{restored, respelled, dropped, invented}` when personal data was pseudonymised.
 */
export function generate(template, inputs, profile, onEvent, unmaskedBy) {
  return streamed('generate', { template, inputs, profile: profile ?? null, unmaskedBy: unmaskedBy ?? null }, onEvent);
}

/** Stops the running generation (the pending `generate` rejects with provider.cancelled). */
export const cancelGeneration = () => call('cancel_generation');
/** Native open dialog: an absolute path, or null. `accept`: ["sheet"] and/or ["document"]. */
export const pickFile = (accept) => call('pick_file', { accept: accept || [] });
/**
 * Native save dialog then writes the document: `{path, number}`, or null if cancelled. `format`:
 * "docx", "xlsx" (the answer's tables; rejects with export.no_table when there is none), "md" or
 * "txt". `model`: the model that wrote the answer (the report's "prepared with" line), or null.
 * `runId`: the run's history id (from `generate`): written into the document's properties and
 * the export recorded against the run. `finalVersion`: a letter with no N° gets the next
 * register number (`number`). `audit`: the document ends with the "Relu et validé" page.
 */
export const exportAnswer = (template, inputs, markdown, format, model, runId, finalVersion, audit) =>
  call('export_answer', { template, inputs, markdown, format, model: model ?? null, runId: runId ?? null, finalVersion: !!finalVersion, audit: !!audit });
/**
 * The letterhead and signature settings: `{fr: [line], ar: [line], logo, signature_title,
 * signature_title_ar, signature_name, signature_name_ar, ville, ville_ar, hijri, docx}`.
 */
export const getLetterhead = () => call('get_letterhead');
/** Checks the logo and the Word letterhead, then saves (rejects with export.* naming the file). */
export const saveLetterhead = (letterhead) => call('save_letterhead', { letterhead });
/** The configured signatories: `[{id, function, function_ar, name, name_ar, delegation, delegation_ar}]`. */
export const getSignatories = () => call('get_signatories');
/** Replaces the signatories (rejects with config.invalid naming the bad entry). */
export const saveSignatories = (signatories) => call('save_signatories', { signatories });
/** Native open dialog for `kind` "logo" (PNG, JPEG) or "docx" (Word): a path, or null. */
export const pickLetterheadFile = (kind) => call('pick_letterhead_file', { kind });
/** Opens a file with the system's application. */
export const openPath = (path) => call('open_path', { path });

/**
 * `{default, profiles: [{name, baseUrl, model, preset, temperature, dataClass, dataClassSet,
 * pseudonymise}], presets: [{..., dataClass}], policy}`
 */
export const listProfiles = () => call('list_profiles');
/**
 * Adds or replaces a profile `{name, baseUrl, model, preset, temperature, dataClass, pseudonymise}`
 * (`dataClass` null: from the address). Rejects with policy.denied when the policy locks it.
 */
export const saveProfile = (profile, makeDefault) => call('save_profile', { profile, makeDefault: !!makeDefault });
export const deleteProfile = (name) => call('delete_profile', { name });
/** A profile name, or "practice" for the offline practice mode. */
export const setDefaultProfile = (name) => call('set_default_profile', { name });
/** The key goes to the OS keychain; it is never returned. */
export const setKey = (profile, key) => call('set_key', { profile, key });
export const deleteKey = (profile) => call('delete_key', { profile });
/** `{stored}` */
export const keyStatus = (profile) => call('key_status', { profile });
/** `{models, model, modelServed}` for a saved profile. */
export const testConnection = (profile) => call('test_connection', { profile });

/** Autosave: `{template, values, files, answer, runId, model}`. */
export const saveDraft = (draft) => call('save_draft', { draft });
/** The last draft, or null. */
export const loadDraft = () => call('load_draft');

// The history (the runs recorded on this computer) and the outgoing-mail register. Records come
// as the history stores them (snake_case keys: `started_at`, `template_id`...).

/**
 * Runs, newest first. `filter` = `{template, status, from, to, limit, offset}` (`from`/`to`:
 * RFC 3339 times). Resolves `[{id, started_at, template_id, template_title, profile, model,
 * data_class, status, masked, has_texts, objet, approvals, ...}]`.
 */
export const historyList = (filter) => call('history_list', { filter: filter || {} });
/** Full-text search, best first: `[{run, source, snippet: [{text, hit}]}]`. */
export const historySearch = (query, filter) => call('history_search', { query, filter: filter || {} });
/** `{run: {summary, texts, exports, approvals, register_numbers}, edits: [{version, saved_at, text}]}` */
export const historyGet = (id) => call('history_get', { id });
/** Deletes a run's texts (its metadata row stays as the audit record). */
export const historyDelete = (id) => call('history_delete', { id });
/** Purges the runs older than the retention: `{runs}` (rejects with history.no_retention). */
export const historyPurge = () => call('history_purge');
/** "Relu et validé par": `{name, function, at}`. */
export const historyApprove = (id, name, fn) => call('history_approve', { id, name, function: fn });
export const historyAuditSheet = (id, lang) => call('history_audit_sheet', { id, lang });
/** The register (`year` null: every year): `[{number, seq, year, service, date, addressee, object, file, run_id}]`. */
export const registerList = (year) => call('register_list', { year: year ?? null });
/** The register to an .xlsx (save dialog): its path, or null if cancelled. */
export const registerExport = (year, lang) => call('register_export', { year: year ?? null, lang });
/** `{enabled, retentionDays, keepsTexts, retention}` (`retention`: in force, the policy's first). */
export const getHistorySettings = () => call('get_history_settings');
/** Rejects with policy.denied when the machine's policy locks what changes. */
export const saveHistorySettings = (enabled, retentionDays) => call('save_history_settings', { enabled, retentionDays: retentionDays ?? null });

// Mail-merge (publipostage), over katib-merge. A `request` is katib-merge's Request, snake_case:
// {template, rows, sheet, map: {field: column or pattern}, values, mode: "draft"|"per_row",
//  draft: {text, path}|null, names, profile, concurrency, skip_incomplete, final_letters,
//  use_remembered}.

/** The mail-merge samples of a template: `[{id, name, title, rows, mode, map, values, ...}]`. */
export const mergeSamples = (template) => call('merge_samples', { template });
/** The request a mail-merge sample makes (practice mode; no draft: the window writes it). */
export const mergeSampleRequest = (template, name) => call('merge_sample_request', { template, name });
/** The plan: `{columns, fields, merge_fields, ready, incomplete, preview, estimate, route, needs_confirmation, ...}`. */
export const mergePlan = (request) => call('merge_plan', { request });
/** Draft mode: the model writes the letter once; `onEvent` gets the stream. Resolves `{text, runId, check}`. */
export function mergeDraft(request, onEvent) {
  return streamed('merge_draft', { request }, onEvent);
}
/**
 * Runs the merge into `outDir`; `onEvent` gets `{event: "started"|"row"|"waiting"|"writing", ...}`.
 * `confirmed`: the user confirmed more than 1,000 requests. Resolves the report.
 */
export function mergeStart(request, outDir, resume, confirmed, onEvent) {
  return streamed('merge_start', { request, outDir, resume: !!resume, confirmed: !!confirmed }, onEvent);
}
/** Stops the running merge (or its draft). */
export const mergeStop = () => call('merge_stop');
/** The merge journaled in a folder (`{template, mode, started, done, failed, lost}`), or null. */
export const mergeStatus = (outDir) => call('merge_status', { outDir });
/** Remembers a template's mapping (field -> column or pattern). */
export const mergeRemember = (template, map) => call('merge_remember', { template, map });
/** Native folder dialog for the letters: a folder, or null. */
export const mergePickFolder = () => call('merge_pick_folder');

/** `handler({paths, x, y})` when files are dropped on the window. Resolves an unlisten function. */
export async function onFileDropped(handler) {
  const ev = window.__TAURI__ && window.__TAURI__.event;
  if (!ev) return () => {};
  try {
    return await ev.listen('file-dropped', (e) => handler(e.payload));
  } catch (e) {
    throw normaliseError(e);
  }
}

// ---------------------------------------------------------------------------------------------
// Workshop ("Formation"): exercise packs, exercises and their rubric, peer review, the trainer's
// results, the template editor. Dialogs are opened by the shell: a null path asks the user.

/** `{packs: [{id, title, version, origin, path, exercises, days, languages}], warnings}` in `lang`. */
export const packList = (lang) => call('pack_list', { lang });
/** A pack in `lang`: manifest, `exercises` (with the learner's `variant`), `learner`, `warnings`. */
export const packOpen = (id, lang) => call('pack_open', { id, lang });
/** Imports the `.katib` (or pack folder) at `path`; `{id, exercises, millis, ...}`. */
export const packImport = (path, replace) => call('pack_import', { path, replace: !!replace });
/** The `.katib` chosen in the open dialog (then `packImport(path, ...)`, as for a drop), or null. */
export const packPick = () => call('pack_pick');
/** Checks then zips a pack into a `.katib` (save dialog): `{path, files}`, or null. */
export const packExport = (source) => call('pack_export', { source });
/** `{ok, path, errors: [{code, message, file, line}], warnings, pack}`; `source` null: a picked `.katib`. */
export const packValidate = (source) => call('pack_validate', { source: source ?? null });
/** Removes an imported pack; its templates stay. */
export const packRemove = (id) => call('pack_remove', { id });
/** `{name, team}` or null. */
export const learnerGet = () => call('learner_get');
/** Sets the learner's name (and team) on this computer. */
export const learnerSet = (name, team) => call('learner_set', { name, team: team || null });
/** `{exercise, inputs, learner, variant, variants}` for "Commencer l'exercice". */
export const exerciseStart = (pack, exercise, lang) => call('exercise_start', { pack, exercise, lang });
/** `{rubric: {ok, passed, total, checks, self_check}, flags}` on `answer` with `ticked` self-check ids. */
export const exerciseCheck = (pack, exercise, answer, ticked) => call('exercise_check', { pack, exercise, answer, ticked: ticked || [] });
/**
 * `generate` with the workshop's options: `messages` (the prompt as edited for this run, or null)
 * and `exercise` (`{pack, exercise}`: practice replays the learner's variant).
 */
export function generateWith(template, inputs, profile, onEvent, messages, exercise) {
  return streamed('generate_with', { template, inputs, profile: profile ?? null, unmaskedBy: null, messages: messages ?? null, exercise: exercise ?? null }, onEvent);
}
/** Hands in an answer (save dialog): `{path, id, passed, total}`, or null. */
export const submissionExport = (pack, exercise, answer, original, ticked) =>
  call('submission_export', { pack, exercise, answer, original: original ?? null, ticked: ticked || [] });
/** Opens a peer's `.katib-rendu` (`path` null: the open dialog), or null. */
export const submissionOpen = (path) => call('submission_open', { path: path ?? null });
/** Writes a review of the submission at `path` (save dialog): `{path, review}`, or null. */
export const reviewWrite = (path, score, comment, ticked) => call('review_write', { path, score, comment, ticked: ticked || [] });
/** Imports a review of the learner's own work (`path` null: the open dialog), or null. */
export const reviewImport = (path) => call('review_import', { path: path ?? null });
/** The reviews this learner received. */
export const reviewList = () => call('review_list');
/** The room's results from a folder of submissions and reviews (`dir` null: the folder dialog), or null. */
export const resultsGather = (dir) => call('results_gather', { dir: dir ?? null });
/** The results of `dir` as an .xlsx (save dialog): its path, or null. */
export const resultsExport = (dir, lang) => call('results_export', { dir, lang });
/** The trainer's packs in progress. */
export const draftList = () => call('draft_list');
/** A new pack in progress from `{id?, title, ...}`. */
export const draftCreate = (pack) => call('draft_create', { pack });
/** Adds an exercise to pack in progress `id`. */
export const draftAddExercise = (id, exercise) => call('draft_add_exercise', { id, exercise });
/** Records answers for pack in progress `id` from `profile`; `onEvent` gets each saved answer. */
export function packRecord(id, profile, variants, exercise, onEvent) {
  return streamed('pack_record', { id, profile, variants, exercise: exercise ?? null }, onEvent);
}
/** The templates the editor opens: `[{id, title, category, builtin, overridesBuiltin}]`. */
export const editorList = (lang) => call('editor_list', { lang });
/** `{id, text, path, builtin, sample}` */
export const editorOpen = (id) => call('editor_open', { id });
/** `{analysis: {ok, id, error, fields, tokens, unused_fields}, preview: {ok, system, user, error, missing, context: {key, json}}, fields}`; `context`: the key of the body context the page holds (editor/preview.js). */
export const editorUpdate = (text, inputs, context) => call('editor_update', { text, inputs: inputs ?? null, context: context ?? null });
/** Field `index` (null: new) of `text` set from `field`: the new text. */
export const editorSetField = (text, index, field) => call('editor_set_field', { text, index: index ?? null, field });
export const editorRemoveField = (text, index) => call('editor_remove_field', { text, index });
/** Field `from` of `text` moved to place `to` (counted in the new order): the new text. */
export const editorMoveField = (text, from, to) => call('editor_move_field', { text, from, to });
/** Saves as a user template: its path. */
export const editorSave = (text, overwrite) => call('editor_save', { text, overwrite: !!overwrite });
/** The text of a copy of `id` as `newId` (not saved). */
export const editorDuplicate = (id, newId) => call('editor_duplicate', { id, newId });
/** Removes the user's template `id`: `{removed, builtin}`. */
export const editorReset = (id) => call('editor_reset', { id });
