// The template's form: one controller per field (text, textarea, select, number, date typed as
// dd/mm/yyyy, signatory picked among the configured ones or typed, file with exactly the
// extensions core accepts), the conditions the template declares (fields shown and required
// when a select holds given values), defaults that follow the output language, the samples,
// and validation with messages under each field.
//
// A controller is `{f, wrap, get(), set(v), focusTarget, invalidKey()}`: the form reads and fills
// values through it, whatever the widget.

import * as api from '../../api.js';
import { h, icon, basename, reveal, showError, clearError, toast, navigate } from '../../dom.js';
import { t, lang, setText, translate, errorKey, iso } from '../../i18n.js';
import { dateInput, displayDate } from '../../dateinput.js';
import { ctx } from './ctx.js';

/** The signatory select's choice for "type another function". */
const OTHER = '__other__';

// ---------------------------------------------------------------------------------------------
// Building

export function buildFields() {
  const { el, st } = ctx;
  el.fields.replaceChildren();
  el.controls = {};
  for (const f of st.tpl.fields) el.fields.appendChild(buildField(f));
}

function buildField(f) {
  const id = 'field-' + f.name;
  const helpId = id + '-help';
  const errId = id + '-error';
  const described = [f.help ? helpId : null, errId].filter(Boolean).join(' ');
  const req = h('span', { class: 'req', 'aria-hidden': 'true', text: ' *', hidden: !f.required });
  const reqSr = h('span', { class: 'sr-only', i18n: 'form.required', hidden: !f.required });
  const label = h('label', { class: 'field-label', for: id, id: id + '-label' }, h('span', { dir: 'auto', text: f.label }), req, reqSr);
  let ctl;
  switch (f.type) {
    case 'textarea': {
      const c = h('textarea', { id, name: f.name, rows: textareaRows(f), dir: 'auto', 'aria-describedby': described });
      ctl = plain(c);
      break;
    }
    case 'select': {
      const c = h('select', { id, name: f.name, 'aria-describedby': described });
      if (!f.required && (f.default == null || f.default === '')) c.appendChild(h('option', { value: '', i18n: 'form.select_none' }));
      for (const o of f.options || []) c.appendChild(h('option', { value: o.value, dir: 'auto', text: o.label }));
      ctl = plain(c);
      ctl.set = (v) => {
        const opts = [...c.options];
        if (opts.some((o) => o.value === v)) c.value = v;
        else if (opts.some((o) => o.value === '')) c.value = '';
        else c.value = f.default ?? (opts[0] ? opts[0].value : '');
      };
      break;
    }
    case 'date': {
      const d = dateInput({ id, name: f.name, 'aria-describedby': described });
      ctl = { body: d.wrap, focusTarget: d.input, get: d.get, set: d.set, invalidKey: () => (d.invalid() ? 'form.bad_date' : null) };
      break;
    }
    case 'number': {
      const c = h('input', { id, name: f.name, type: 'text', inputmode: 'decimal', dir: 'ltr', autocomplete: 'off', 'aria-describedby': described, class: 'number-input' });
      ctl = plain(c);
      ctl.invalidKey = () => (c.value.trim() && !/^[-+]?[\d\s\u00a0\u202f]*[.,]?\d+$/.test(c.value.trim()) ? 'form.bad_number' : null);
      break;
    }
    case 'signatory':
      ctl = buildSignatory(f, id, described);
      break;
    case 'file':
      ctl = buildFileField(f, id, described);
      break;
    default: {
      const c = h('input', { id, name: f.name, type: 'text', dir: 'auto', autocomplete: 'off', 'aria-describedby': described });
      ctl = plain(c);
    }
  }
  ctl.f = f;
  ctl.req = [req, reqSr];
  ctl.visible = true;
  ctl.required = !!f.required;
  ctl.wrap = h(
    'div',
    { class: 'field field-' + f.type, dataset: { field: f.name, type: f.type } },
    label,
    ctl.body,
    f.help ? h('p', { class: 'help', id: helpId, dir: 'auto', text: f.help }) : null,
    h('p', { class: 'field-error', id: errId, hidden: true, role: 'alert' }),
  );
  ctx.el.controls[f.name] = ctl;
  return ctl.wrap;
}

/** A controller over one native control. */
function plain(c) {
  return { body: c, focusTarget: c, get: () => c.value, set: (v) => (c.value = v), invalidKey: () => null };
}

function textareaRows(f) {
  // The long inputs (pasted letters, texts to translate, points of reply) get more room.
  return /texte|elements|contenu|points|consignes|demande|motifs|notes|deliberations/.test(f.name) ? 6 : 3;
}

/**
 * A signatory: a select of the configured signatories (their function in the UI's language) and
 * "another function (to type)", which shows a text input. With none configured, the text input
 * alone and a link to the settings. Its value: the signatory's id, or the typed function.
 */
function buildSignatory(f, id, described) {
  const options = f.options || [];
  const text = h('input', { id: options.length ? id + '-other' : id, name: f.name + (options.length ? '-other' : ''), type: 'text', dir: 'auto', autocomplete: 'off', 'aria-describedby': described, class: 'signatory-other', i18nPlaceholder: 'signatory.other_placeholder' });
  const manage = h('button', { type: 'button', class: 'link-btn', onclick: () => navigate('settings') }, h('span', { i18n: options.length ? 'signatory.manage' : 'signatory.none_configured' }));
  if (!options.length) {
    const body = h('div', { class: 'signatory' }, text, h('p', { class: 'help signatory-hint' }, manage));
    return { body, focusTarget: text, get: () => text.value, set: (v) => (text.value = v), invalidKey: () => null };
  }
  const select = h('select', { id, name: f.name, 'aria-describedby': described, class: 'signatory-select' });
  select.appendChild(h('option', { value: '', i18n: 'signatory.choose' }));
  for (const o of options) select.appendChild(h('option', { value: o.value, dir: 'auto', text: o.label }));
  select.appendChild(h('option', { value: OTHER, i18n: 'signatory.other' }));
  const sync = () => {
    text.hidden = select.value !== OTHER;
  };
  select.addEventListener('change', () => {
    sync();
    if (select.value === OTHER) text.focus();
  });
  const body = h('div', { class: 'signatory' }, select, text, h('p', { class: 'help signatory-hint' }, manage));
  return {
    body,
    focusTarget: select,
    get: () => (select.value === OTHER ? text.value : select.value),
    set: (v) => {
      const s = String(v ?? '');
      if (options.some((o) => o.value === s.trim())) {
        select.value = s.trim();
        text.value = '';
      } else if (s.trim()) {
        select.value = OTHER;
        text.value = s;
      } else {
        select.value = '';
        text.value = '';
      }
      sync();
    },
    invalidKey: () => null,
  };
}

function buildFileField(f, id, described) {
  const hidden = h('input', { type: 'hidden', name: f.name, id: id + '-path', value: '' });
  const name = h('span', { class: 'file-name', id: id + '-name', dir: 'auto' });
  const exts = f.extensions || [];
  const hint = h('span', { class: 'file-hint', i18n: 'file.accepts', i18nArgs: { exts: '\u2066' + exts.map((x) => '.' + x).join(' ') + '\u2069' } });
  const choose = h('button', { type: 'button', class: 'btn btn-small', id, 'aria-describedby': described, onclick: () => chooseFile(f) }, icon('upload'), h('span', { i18n: 'file.choose' }));
  const clear = h('button', { type: 'button', class: 'icon-btn file-clear', hidden: true, i18nAria: 'file.remove', i18nTitle: 'file.remove', onclick: () => setFile(f.name, null) }, icon('close'));
  const sheet = (f.accept || []).includes('sheet') && !(f.accept || []).includes('document');
  const zone = h(
    'div',
    { class: 'dropzone', dataset: { field: f.name } },
    icon(sheet ? 'sheet' : 'file', 'dz-icon'),
    h('div', { class: 'dz-text' }, name, hint),
    h('div', { class: 'dz-actions' }, choose, clear),
    hidden,
  );
  return { body: zone, focusTarget: choose, get: () => ctx.st.files[f.name] || '', set: () => {}, invalidKey: () => null, file: true, zone, hidden, label: name, clear };
}

// ---------------------------------------------------------------------------------------------
// Conditions and localized defaults

/** The value a condition reads for select `name`: as chosen, else the select's default. */
function selectValue(name) {
  const c = ctx.el.controls[name];
  const v = c ? String(c.get() || '').trim() : '';
  return v || (c && c.f.default != null ? String(c.f.default) : '');
}

function holds(cond) {
  return Object.entries(cond).every(([name, allowed]) => (allowed || []).includes(selectValue(name)));
}

/** Shows, hides and marks required each field as its conditions say (core applies the same rule). */
export function applyConditions() {
  for (const c of Object.values(ctx.el.controls)) {
    const f = c.f;
    const when = f.showWhen || f.requiredWhen;
    c.visible = !when || holds(when);
    c.required = !!f.required || (!!f.requiredWhen && holds(f.requiredWhen));
    c.wrap.hidden = !c.visible;
    for (const r of c.req) r.hidden = !c.required;
    if (!c.visible) fieldError(f.name, null);
  }
}

/** The output language the form asks for: the language field's value, else the template's. */
export function outputLang() {
  const { tpl } = ctx.st;
  if (tpl.languageField) return selectValue(tpl.languageField) || 'fr';
  return tpl.language || 'fr';
}

/** A field's default in output language `l`. */
function defaultFor(f, l) {
  if (f.defaultByLang && f.defaultByLang[l] != null) return f.defaultByLang[l];
  return f.default ?? '';
}

/** The language select changed: fields still holding the previous language's default follow. */
function followLanguage() {
  const st = ctx.st;
  const now = outputLang();
  const before = st.outLang || now;
  st.outLang = now;
  if (before === now) return;
  for (const c of Object.values(ctx.el.controls)) {
    const f = c.f;
    if (!f.defaultByLang) continue;
    if (String(c.get()) === String(f.defaultByLang[before] ?? '')) c.set(defaultFor(f, now));
  }
}

// ---------------------------------------------------------------------------------------------
// Values

/** Every non-file field's current value (empty strings and hidden fields included): the draft. */
export function formValues() {
  const v = {};
  for (const c of Object.values(ctx.el.controls)) if (!c.file) v[c.f.name] = c.get();
  return v;
}

/**
 * What is sent to the shell: the non-empty values and files of the fields shown. Empty fields are
 * left out, exactly as a sample leaves them out, so that a loaded sample renders (and practices)
 * as the sample. Dates go as typed (dd/mm/yyyy): core normalises them.
 */
export function inputs() {
  const values = {};
  const files = {};
  for (const c of Object.values(ctx.el.controls)) {
    if (!c.visible) continue;
    const v = c.get();
    if (c.file) {
      if (v) files[c.f.name] = v;
    } else if (String(v).trim() !== '') values[c.f.name] = v;
  }
  return { values, files };
}

/**
 * Fills the form. `values` null: the fields' defaults. `absent`: what a field missing from
 * `values` gets, 'default' (its default) or 'empty' (nothing, as in a sample). Selects first: the
 * output language decides the other defaults.
 */
export function fillForm(values, files, absent) {
  const st = ctx.st;
  const given = (f) => values && Object.prototype.hasOwnProperty.call(values, f.name);
  const fields = st.tpl.fields;
  const value = (f, l) => {
    if (given(f)) return values[f.name] == null ? '' : String(values[f.name]);
    if (!values || absent === 'default') return String(defaultFor(f, l) ?? '');
    return '';
  };
  for (const f of fields) if (f.type === 'select') ctx.el.controls[f.name].set(value(f, 'fr'));
  const l = outputLang();
  st.outLang = l;
  for (const f of fields) {
    if (f.type === 'select') continue;
    if (f.type === 'file') {
      setFile(f.name, files && files[f.name] ? files[f.name] : null, { quiet: true });
      continue;
    }
    const v = value(f, l);
    ctx.el.controls[f.name].set(f.type === 'date' ? displayDate(v) : v);
  }
  applyConditions();
  clearFieldErrors();
}

export function setFile(name, path, opts = {}) {
  const st = ctx.st;
  const c = ctx.el.controls[name];
  if (!c || !c.file) return;
  if (path) {
    st.files[name] = path;
    c.hidden.value = path;
    c.label.textContent = basename(path);
    c.label.title = path;
    delete c.label.dataset.i18n;
    c.zone.classList.add('has-file');
    c.clear.hidden = false;
  } else {
    delete st.files[name];
    c.hidden.value = '';
    setText(c.label, 'file.none');
    c.label.removeAttribute('title');
    c.zone.classList.remove('has-file');
    c.clear.hidden = true;
  }
  if (!opts.quiet) {
    validateField(c.f, false);
    ctx.changed();
  }
}

/** A chosen or dropped file must have one of the field's extensions (core's one list). */
function extError(f, path) {
  const ext = (basename(path).split('.').pop() || '').toLowerCase();
  return (f.extensions || []).includes(ext) ? null : 'file.not_accepted';
}

async function chooseFile(f) {
  try {
    const path = await api.pickFile(f.accept || []);
    if (path) assignFile(f, path);
  } catch (e) {
    showError(e);
  }
}

function assignFile(f, path) {
  const bad = extError(f, path);
  if (bad) {
    fieldError(f.name, bad, { name: iso(basename(path)), exts: iso((f.extensions || []).map((x) => '.' + x).join(' ')) });
    return false;
  }
  setFile(f.name, path);
  return true;
}

/** A file dropped on the window: to the file field under the pointer, else the first one shown. */
export function onFileDropped(payload) {
  const { st, root, el } = ctx;
  const paths = (payload && payload.paths) || [];
  if (!paths.length) return;
  if (!st || root.hidden) {
    toast('drop.no_template', null, 'info');
    return;
  }
  const fileFields = st.tpl.fields.filter((f) => f.type === 'file' && el.controls[f.name].visible);
  if (!fileFields.length) {
    toast('drop.no_field', null, 'info');
    return;
  }
  const under = document.elementFromPoint(Number(payload.x) || 0, Number(payload.y) || 0);
  const zone = under && under.closest ? under.closest('.dropzone') : null;
  const target = (zone && fileFields.find((f) => f.name === zone.dataset.field)) || fileFields[0];
  assignFile(target, paths[0]);
  // More files than one: the other empty file fields, in order.
  const rest = paths.slice(1);
  for (const f of fileFields) {
    if (!rest.length) break;
    if (f !== target && !st.files[f.name]) assignFile(f, rest.shift());
  }
  const zoneEl = el.controls[target.name].zone;
  zoneEl.classList.remove('dropped');
  void zoneEl.offsetWidth;
  zoneEl.classList.add('dropped');
  reveal(zoneEl);
}

export function onFormInput(e) {
  const wrap = e.target && e.target.closest && e.target.closest('.field');
  const c = wrap && ctx.el.controls[wrap.dataset.field];
  if (!c) return;
  if (c.f.type === 'select') {
    if (c.f.name === ctx.st.tpl.languageField) followLanguage();
    applyConditions();
  }
  validateField(c.f, false);
  ctx.changed();
}

// ---------------------------------------------------------------------------------------------
// Validation

export function fieldError(name, key, args, detail) {
  const c = ctx.el.controls[name];
  if (!c) return;
  const msg = c.wrap.querySelector('.field-error');
  if (key) {
    setText(msg, key, args);
    if (detail) msg.title = detail;
    msg.hidden = false;
    c.wrap.classList.add('invalid');
    c.focusTarget.setAttribute('aria-invalid', 'true');
  } else {
    msg.hidden = true;
    msg.textContent = '';
    delete msg.dataset.i18n;
    c.wrap.classList.remove('invalid');
    c.focusTarget.removeAttribute('aria-invalid');
  }
}

export function clearFieldErrors() {
  for (const name of Object.keys(ctx.el.controls)) fieldError(name, null);
}

/** Validates one field. `strict`: also flags empty required fields (on generate). */
export function validateField(f, strict) {
  const c = ctx.el.controls[f.name];
  if (!c || !c.visible) return true;
  const shown = c.wrap.classList.contains('invalid');
  const bad = c.invalidKey();
  if (bad) {
    fieldError(f.name, bad);
    return false;
  }
  // While typing only bad input is flagged, not emptiness.
  if (!strict && !shown) return true;
  const empty = !String(c.get() || '').trim();
  if (c.required && empty) {
    fieldError(f.name, f.type === 'file' ? 'form.required_file' : 'form.required_error');
    return false;
  }
  fieldError(f.name, null);
  return true;
}

/** All fields shown; focuses the first invalid one. */
export function validateAll() {
  let first = null;
  for (const f of ctx.st.tpl.fields) {
    if (!validateField(f, true) && !first) first = f;
  }
  if (first) {
    const c = ctx.el.controls[first.name];
    reveal(c.wrap, 'center');
    c.focusTarget.focus({ preventScroll: true });
  }
  return !first;
}

/**
 * The field an error is about: the shell names it (`err.field`) for template errors; an error
 * about an input file names the file, which is attached to one field.
 */
export function fieldOf(err) {
  const st = ctx.st;
  if (!err) return null;
  if (err.field && st.tpl.fields.some((f) => f.name === err.field)) return err.field;
  if (String(err.code || '').startsWith('document.')) {
    const f = st.tpl.fields.find((x) => x.type === 'file' && st.files[x.name] && String(err.message || '').includes(st.files[x.name]));
    if (f) return f.name;
  }
  return null;
}

/** Puts an error about a field under that field too. */
export function markFieldFromError(err) {
  const name = fieldOf(err);
  if (!name) return;
  const f = ctx.st.tpl.fields.find((x) => x.name === name);
  if (err.code === 'template.missing_field') fieldError(name, f.type === 'file' ? 'form.required_file' : 'form.required_error');
  else fieldError(name, errorKey(err.code), null, err.message);
}

// ---------------------------------------------------------------------------------------------
// Samples

export function buildSampleBar() {
  const { el, st } = ctx;
  // The default sample first; the one named after the UI language (e.g. "ar") preselected.
  const samples = [...(st.tpl.samples || [])].sort((a, b) => (a.name == null ? -1 : b.name == null ? 1 : 0));
  el.sampleBar.replaceChildren();
  el.sampleSelect = null;
  if (!samples.length) {
    el.sampleBar.hidden = true;
    return;
  }
  el.sampleBar.hidden = false;
  if (samples.length > 1) {
    el.sampleSelect = h('select', { id: 'sample-select', class: 'sample-select', i18nAria: 'sample.choose', i18nTitle: 'sample.choose' });
    const preferred = samples.some((s) => s.name === lang()) ? lang() : null;
    for (const s of samples) {
      el.sampleSelect.appendChild(h('option', { value: s.name ?? '', text: s.title || (s.name ? t('sample.named', { name: s.name }) : t('sample.default')), selected: (s.name ?? null) === preferred }));
    }
  }
  el.loadSample = h('button', { type: 'button', class: 'btn btn-small', id: 'load-sample', onclick: loadSample }, icon('file'), h('span', { i18n: 'sample.load' }));
  el.sampleBar.append(...(el.sampleSelect ? [el.sampleSelect] : []), el.loadSample);
  translate(el.sampleBar);
}

async function loadSample() {
  const { el, st } = ctx;
  const name = el.sampleSelect ? el.sampleSelect.value || null : null;
  el.loadSample.disabled = true;
  try {
    const s = await api.loadSample(st.id, name);
    fillForm(s.values || {}, s.files || {}, 'empty');
    clearError();
    ctx.changed();
    toast('sample.loaded');
  } catch (e) {
    showError(e);
  } finally {
    el.loadSample.disabled = false;
  }
}

/** The label of field `name` (for "where was it found"), or the name itself. */
export function fieldLabel(name) {
  const f = ctx.st && ctx.st.tpl.fields.find((x) => x.name === name);
  return f ? f.label : name;
}
