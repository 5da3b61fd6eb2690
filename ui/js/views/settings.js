// The settings screen: interface language, the endpoint profiles (which one is the default,
// practice mode included), the form to add or edit a profile with its data class (local,
// sovereign, cloud) and, for a sovereign one, the pseudonymisation switch, its API key (sent once
// to the OS keychain, never shown back), the connection test, the history (on or off, retention),
// the signatories letters pick from, and the letterhead that frames every exported letter.
// What the machine's policy locks is shown locked, with the reason (the shell refuses it too).

import * as api from '../api.js';
import { h, icon, showError, clearError, toast } from '../dom.js';
import { t, lang, setText, translate, errorKey, noticeKey, num, LANGS, onLangChange } from '../i18n.js';
import { buildSignatories, loadSignatories, signatoriesDirty } from './settings/signatories.js';
import { buildHistory, loadHistory, historyDirty } from './settings/history.js';

let root = null;
let el = {};
let data = { default: null, profiles: [], presets: [], policy: null };
let editing = null; // name of the profile in the form, or null for a new one
let info = null;
let changeLanguage = async () => {};

export function init(container, opts) {
  root = container;
  changeLanguage = opts.changeLanguage;
  build();
  onLangChange(() => {
    el.language.value = lang();
    if (!root.hidden) renderList();
  });
}

function profilesChanged() {
  document.dispatchEvent(new CustomEvent('katib:profiles-changed'));
}

function build() {
  // Language
  el.language = h('select', { id: 'settings-language', name: 'language' });
  for (const l of LANGS) el.language.appendChild(h('option', { value: l, lang: l, i18n: 'lang.autonym.' + l }));
  el.language.addEventListener('change', () => changeLanguage(el.language.value));

  // Profiles list
  el.list = h('ul', { class: 'profile-list', id: 'profile-list' });
  const newBtn = h('button', { type: 'button', class: 'btn btn-small', id: 'new-profile', onclick: () => edit(null) }, icon('plus'), h('span', { i18n: 'settings.new_profile' }));

  // Profile form
  el.preset = h('select', { id: 'profile-preset', name: 'preset', 'aria-describedby': 'profile-preset-help' });
  el.preset.addEventListener('change', onPreset);
  el.name = h('input', { id: 'profile-name', name: 'name', type: 'text', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'profile-name-help profile-name-error' });
  el.baseUrl = h('input', { id: 'profile-base-url', name: 'baseUrl', type: 'url', dir: 'ltr', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: 'http://localhost:11434/v1', 'aria-describedby': 'profile-base-url-help profile-base-url-error' });
  el.model = h('input', { id: 'profile-model', name: 'model', type: 'text', dir: 'ltr', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'profile-model-help profile-model-error' });
  el.models = h('select', { id: 'profile-models', name: 'models', class: 'models-select', hidden: true, i18nAria: 'settings.models_served', i18nTitle: 'settings.models_served' });
  el.models.addEventListener('change', () => {
    if (el.models.value) el.model.value = el.models.value;
    markDirty();
  });
  el.temperature = h('input', { id: 'profile-temperature', name: 'temperature', type: 'number', min: '0', max: '2', step: '0.1', inputmode: 'decimal', i18nPlaceholder: 'settings.temperature_placeholder', 'aria-describedby': 'profile-temperature-help profile-temperature-error' });
  el.key = h('input', { id: 'profile-key', name: 'apiKey', type: 'password', dir: 'ltr', autocomplete: 'new-password', spellcheck: 'false', 'aria-describedby': 'key-status profile-key-help' });
  el.keyStatus = h('p', { class: 'key-status', id: 'key-status', role: 'status' });
  el.deleteKey = h('button', { type: 'button', class: 'btn btn-small btn-ghost', id: 'delete-key', hidden: true, onclick: deleteKey }, icon('trash'), h('span', { i18n: 'settings.delete_key' }));
  el.dataClass = h('select', { id: 'profile-data-class', name: 'dataClass', 'aria-describedby': 'profile-data-class-help profile-data-class-lock' });
  el.dataClass.addEventListener('change', () => {
    updateClassHelp();
    markDirty();
  });
  el.pseudonymise = h('input', { id: 'profile-pseudonymise', name: 'pseudonymise', type: 'checkbox' });
  el.pseudoRow = h('label', { class: 'check', id: 'profile-pseudonymise-row' }, el.pseudonymise, h('span', { i18n: 'settings.pseudonymise' }));
  el.classLock = h('p', { class: 'locked-reason', id: 'profile-data-class-lock', hidden: true });
  el.makeDefault = h('input', { id: 'profile-default', name: 'makeDefault', type: 'checkbox' });
  el.save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'save-profile' }, icon('check'), h('span', { i18n: 'settings.save' }));
  el.test = h('button', { type: 'button', class: 'btn', id: 'test-connection', onclick: testConnection }, icon('plug'), h('span', { i18n: 'settings.test' }));
  el.cancel = h('button', { type: 'button', class: 'btn btn-ghost', id: 'cancel-profile', onclick: () => edit(null) }, h('span', { i18n: 'settings.reset_form' }));
  el.testResult = h('div', { class: 'test-result', id: 'test-result', hidden: true, role: 'status' });
  el.formTitle = h('h2', { class: 'card-title', id: 'profile-form-title' });

  const field = (id, labelKey, control, helpKey, extra) =>
    h(
      'div',
      { class: 'field', dataset: { field: control.name } },
      h('label', { class: 'field-label', for: id, i18n: labelKey }),
      control,
      extra || null,
      helpKey ? h('p', { class: 'help', id: id + '-help', i18n: helpKey }) : null,
      h('p', { class: 'field-error', id: id + '-error', hidden: true, role: 'alert' }),
    );

  el.form = h(
    'form',
    { id: 'profile-form', class: 'profile-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); save(); } },
    field('profile-preset', 'settings.preset', el.preset, 'settings.preset_help'),
    h('div', { class: 'field-row' }, field('profile-name', 'settings.name', el.name, 'settings.name_help'), field('profile-temperature', 'settings.temperature', el.temperature, 'settings.temperature_help')),
    field('profile-base-url', 'settings.base_url', el.baseUrl, 'settings.base_url_help'),
    h(
      'div',
      { class: 'field', dataset: { field: 'dataClass' } },
      h('label', { class: 'field-label', for: 'profile-data-class' }, icon('shield'), h('span', { i18n: 'settings.data_class' })),
      el.dataClass,
      h('p', { class: 'help', id: 'profile-data-class-help' }),
      el.pseudoRow,
      el.classLock,
    ),
    field('profile-model', 'settings.model', el.model, 'settings.model_help', el.models),
    h(
      'div',
      { class: 'field key-field', dataset: { field: 'apiKey' } },
      h('label', { class: 'field-label', for: 'profile-key' }, icon('key'), h('span', { i18n: 'settings.api_key' })),
      el.key,
      h('p', { class: 'help', id: 'profile-key-help', i18n: 'settings.api_key_help' }),
      h('div', { class: 'key-row' }, el.keyStatus, el.deleteKey),
    ),
    h('label', { class: 'check' }, el.makeDefault, h('span', { i18n: 'settings.make_default' })),
    h('div', { class: 'form-actions' }, el.save, el.test, h('span', { class: 'spacer' }), el.cancel),
    el.testResult,
  );
  el.form.addEventListener('input', markDirty);

  buildLetterhead();
  el.signatoriesCard = buildSignatories();
  el.historyCard = buildHistory();
  el.policy = h('div', { class: 'notice notice-lock', id: 'policy-banner', hidden: true, role: 'note' });

  el.version = h('dd', { id: 'app-version' });
  el.configDir = h('dd', { id: 'config-dir', dir: 'ltr' });

  root.replaceChildren(
    h(
      'div',
      { class: 'settings-inner' },
      h('h1', { class: 'page-title', i18n: 'settings.title' }),
      el.policy,
      h(
        'div',
        { class: 'settings-grid' },
        h(
          'div',
          { class: 'settings-col' },
          h(
            'section',
            { class: 'card', 'aria-labelledby': 'lang-title' },
            h('h2', { class: 'card-title', id: 'lang-title', i18n: 'settings.language' }),
            h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'settings-language', i18n: 'settings.language_label' }), el.language),
          ),
          h(
            'section',
            { class: 'card', 'aria-labelledby': 'profiles-title' },
            h('div', { class: 'card-head' }, h('h2', { class: 'card-title', id: 'profiles-title', i18n: 'settings.profiles' }), newBtn),
            h('p', { class: 'card-lead', i18n: 'settings.profiles_lead' }),
            el.list,
          ),
          el.historyCard,
          h(
            'section',
            { class: 'card about', 'aria-labelledby': 'about-title' },
            h('h2', { class: 'card-title', id: 'about-title', i18n: 'settings.about' }),
            h('dl', {}, h('dt', { i18n: 'settings.version' }), el.version, h('dt', { i18n: 'settings.config_dir' }), el.configDir),
            h('p', { class: 'help', i18n: 'settings.privacy' }),
          ),
        ),
        h('section', { class: 'card settings-col profile-editor', 'aria-labelledby': 'profile-form-title' }, el.formTitle, el.form),
      ),
      el.signatoriesCard,
      h(
        'section',
        { class: 'card letterhead-card', id: 'letterhead-section', 'aria-labelledby': 'letterhead-title' },
        h('h2', { class: 'card-title', id: 'letterhead-title', i18n: 'letterhead.title' }),
        h('p', { class: 'card-lead', i18n: 'letterhead.lead' }),
        el.lhForm,
      ),
    ),
  );
  translate(root);
}

/** Called when the screen is shown. */
export async function enter(appInfo) {
  info = appInfo;
  el.language.value = lang();
  if (info) {
    el.version.textContent = info.version || '';
    el.configDir.textContent = info.configDir || '';
  }
  // The letterhead and signatories are read again each time, unless their forms hold changes
  // not saved yet.
  const letterhead = el.lhForm.dataset.dirty ? null : loadLetterhead();
  const signatories = signatoriesDirty() ? null : loadSignatories();
  const history = historyDirty() ? null : loadHistory(policy());
  await reload();
  renderPolicy();
  if (editing && !data.profiles.some((p) => p.name === editing)) editing = null;
  if (!el.form.dataset.loaded) edit(editing);
  await Promise.all([letterhead, signatories, history]);
}

function policy() {
  return data.policy || (info && info.policy) || {};
}

/** The banner naming the policy file and what it locks. */
function renderPolicy() {
  const p = policy();
  const locks = [];
  if (p.forcePseudonymisation) locks.push('policy.force_pseudonymisation');
  if ((p.allowedDataClasses || []).length) locks.push('policy.allowed_classes');
  if ((p.allowedProfiles || []).length) locks.push('policy.allowed_profiles');
  if (p.historyRequired) locks.push('policy.history_required');
  if (p.historyRetentionDays != null) locks.push('policy.retention');
  if (!p.path || !locks.length) {
    el.policy.hidden = true;
    return;
  }
  const args = {
    classes: (p.allowedDataClasses || []).map((c) => t('dataclass.' + c)).join(', '),
    profiles: (p.allowedProfiles || []).join(', '),
    n: p.historyRetentionDays,
  };
  el.policy.replaceChildren(
    icon('lock'),
    h('div', {}, h('p', { class: 'policy-title' }, h('span', { i18n: 'policy.banner' }), ' ', h('code', { dir: 'ltr', text: p.path })), h('ul', {}, locks.map((k) => h('li', { i18n: k, i18nArgs: args })))),
  );
  translate(el.policy);
  el.policy.hidden = false;
}

/** Why the policy forbids profile `p` (a class or a name not allowed), or null. */
function profileLock(p) {
  const pol = policy();
  if ((pol.allowedProfiles || []).length && !pol.allowedProfiles.includes(p.name)) return 'policy.profile_not_allowed';
  if ((pol.allowedDataClasses || []).length && !pol.allowedDataClasses.includes(p.dataClass)) return 'policy.class_not_allowed';
  return null;
}

async function reload() {
  try {
    data = await api.listProfiles();
  } catch (e) {
    showError(e);
  }
  fillPresets();
  fillDataClasses();
  renderList();
}

function fillDataClasses() {
  const keep = el.dataClass.value;
  const allowed = policy().allowedDataClasses || [];
  el.dataClass.replaceChildren(
    h('option', { value: '', i18n: 'settings.data_class_auto' }),
    ...['local', 'sovereign', 'cloud'].map((c) => {
      const locked = allowed.length && !allowed.includes(c);
      return h('option', { value: c, disabled: !!locked, i18n: locked ? 'settings.data_class_locked' : 'dataclass.' + c, i18nArgs: locked ? { class: t('dataclass.' + c) } : null });
    }),
  );
  translate(el.dataClass);
  el.dataClass.value = keep;
  updateClassHelp();
}

/** The help under the data class, the pseudonymisation switch for a sovereign profile, the locks. */
function updateClassHelp() {
  const c = el.dataClass.value;
  const pol = policy();
  setText(root.querySelector('#profile-data-class-help'), c ? 'dataclass.' + c + '_help' : 'settings.data_class_auto_help');
  el.pseudoRow.hidden = c !== 'sovereign';
  el.pseudonymise.disabled = !!pol.forcePseudonymisation;
  if (pol.forcePseudonymisation) el.pseudonymise.checked = true;
  const locks = [];
  if (pol.forcePseudonymisation && c !== 'local') locks.push('policy.force_pseudonymisation');
  if ((pol.allowedDataClasses || []).length) locks.push('policy.allowed_classes');
  if (locks.length && pol.path) {
    el.classLock.replaceChildren(icon('lock'), ...locks.map((k) => h('span', { i18n: k, i18nArgs: { classes: (pol.allowedDataClasses || []).map((x) => t('dataclass.' + x)).join(', ') } })));
    translate(el.classLock);
    el.classLock.hidden = false;
  } else el.classLock.hidden = true;
}

function fillPresets() {
  const keep = el.preset.value;
  el.preset.replaceChildren(h('option', { value: '', i18n: 'settings.preset_custom' }));
  for (const p of data.presets || []) el.preset.appendChild(h('option', { value: p.id, text: p.name }));
  translate(el.preset);
  el.preset.value = keep;
}

function renderList() {
  const items = [];
  const isDefault = (name) => (name === null ? data.default == null : data.default === name);
  items.push(
    row({
      id: 'profile-practice',
      name: 'practice',
      title: h('span', { i18n: 'settings.practice' }),
      sub: h('span', { i18n: 'settings.practice_sub' }),
      isDefault: isDefault(null),
      onDefault: () => setDefault('practice'),
    }),
  );
  for (const p of data.profiles || []) {
    const preset = (data.presets || []).find((x) => x.id === p.preset);
    const lock = profileLock(p);
    items.push(
      row({
        id: 'profile-' + p.name,
        name: p.name,
        title: h('span', { dir: 'auto', text: p.name }),
        sub: h('span', { dir: 'ltr', text: `${p.model} · ${p.baseUrl}${preset ? ' · ' + preset.name : ''}` }),
        chips: [
          h('span', { class: 'chip class-' + p.dataClass, dataset: { dataClass: p.dataClass }, i18n: 'dataclass.' + p.dataClass }),
          p.dataClass === 'sovereign' && p.pseudonymise === false && !policy().forcePseudonymisation ? h('span', { class: 'chip chip-warn', i18n: 'settings.pseudonymise_off' }) : null,
          lock ? h('span', { class: 'chip chip-lock', i18n: lock }) : null,
        ],
        locked: !!lock,
        isDefault: isDefault(p.name),
        onDefault: () => setDefault(p.name),
        onEdit: () => edit(p.name),
        onDelete: () => remove(p.name),
        editing: editing === p.name,
      }),
    );
  }
  el.list.replaceChildren(...items);
  translate(el.list);
}

function row({ id, name, title, sub, chips, locked, isDefault, onDefault, onEdit, onDelete, editing: isEditing }) {
  const actions = h('div', { class: 'profile-actions' });
  if (!isDefault && !locked) actions.appendChild(h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'default' }, onclick: onDefault }, h('span', { i18n: 'settings.use_default' })));
  if (onEdit) actions.appendChild(h('button', { type: 'button', class: 'btn btn-small btn-ghost', dataset: { action: 'edit' }, onclick: onEdit, i18nTitle: 'settings.edit' }, icon('edit'), h('span', { i18n: 'settings.edit' })));
  if (onDelete) {
    const del = h('button', { type: 'button', class: 'btn btn-small btn-ghost btn-danger-text', dataset: { action: 'delete' } }, icon('trash'), h('span', { i18n: 'settings.delete' }));
    del.addEventListener('click', () => confirmClick(del, onDelete));
    actions.appendChild(del);
  }
  return h(
    'li',
    { class: 'profile-item' + (isDefault ? ' is-default' : '') + (isEditing ? ' is-editing' : ''), id, dataset: { name } },
    h('span', { class: 'profile-dot', 'aria-hidden': 'true' }),
    h('div', { class: 'profile-text' }, h('span', { class: 'profile-name' }, title, isDefault ? h('span', { class: 'default-mark', i18n: 'settings.default_mark' }) : null, ...(chips || [])), h('span', { class: 'profile-sub' }, sub)),
    actions,
  );
}

/** A destructive button asks once more, in place, for 4 seconds. */
function confirmClick(btn, action) {
  if (btn.dataset.armed) {
    delete btn.dataset.armed;
    action();
    return;
  }
  btn.dataset.armed = '1';
  const label = btn.querySelector('span');
  setText(label, 'settings.confirm_delete');
  btn.classList.add('armed');
  setTimeout(() => {
    if (!btn.isConnected) return;
    delete btn.dataset.armed;
    btn.classList.remove('armed');
    setText(label, 'settings.delete');
  }, 4000);
}

async function setDefault(name) {
  try {
    await api.setDefaultProfile(name);
    clearError();
    await reload();
    profilesChanged();
    toast('settings.default_set');
  } catch (e) {
    showError(e);
  }
}

async function remove(name) {
  try {
    await api.deleteProfile(name);
    if (editing === name) edit(null);
    await reload();
    profilesChanged();
    toast('settings.deleted', { name });
  } catch (e) {
    showError(e);
  }
}

// ---------------------------------------------------------------------------------------------
// The profile form

function edit(name) {
  editing = name;
  el.form.dataset.loaded = '1';
  clearErrors();
  el.testResult.hidden = true;
  el.models.hidden = true;
  el.models.replaceChildren();
  el.key.value = '';
  const p = name ? (data.profiles || []).find((x) => x.name === name) : null;
  if (p) {
    setText(el.formTitle, 'settings.edit_title', { name: p.name });
    el.preset.value = p.preset && [...el.preset.options].some((o) => o.value === p.preset) ? p.preset : '';
    el.name.value = p.name;
    el.name.readOnly = true;
    el.baseUrl.value = p.baseUrl || '';
    el.model.value = p.model || '';
    el.temperature.value = p.temperature == null ? '' : String(p.temperature);
    el.dataClass.value = p.dataClassSet ? p.dataClass : '';
    el.pseudonymise.checked = p.pseudonymise !== false;
    el.makeDefault.checked = data.default === p.name;
    refreshKeyStatus(p.name);
  } else {
    setText(el.formTitle, 'settings.new_title');
    el.preset.value = '';
    el.name.value = '';
    el.name.readOnly = false;
    el.baseUrl.value = '';
    el.model.value = '';
    el.temperature.value = '';
    el.dataClass.value = '';
    el.pseudonymise.checked = true;
    el.makeDefault.checked = !(data.profiles || []).length;
    el.keyStatus.replaceChildren(h('span', { i18n: 'settings.key_after_save' }));
    el.keyStatus.className = 'key-status';
    el.deleteKey.hidden = true;
  }
  el.form.dataset.dirty = '';
  updatePresetHelp();
  updateClassHelp();
  renderList();
}

function markDirty() {
  el.form.dataset.dirty = '1';
  el.testResult.hidden = true;
}

let lastHint = '';

function onPreset() {
  const p = (data.presets || []).find((x) => x.id === el.preset.value);
  if (p) {
    el.baseUrl.value = p.baseUrl;
    if (!el.model.value || el.model.value === lastHint) el.model.value = p.modelHint;
    if (!el.name.value && !el.name.readOnly) el.name.value = p.id;
    lastHint = p.modelHint;
    // The preset knows where its service processes data (OpenAI, Mistral: cloud; Ollama: local).
    if (p.dataClass && ![...el.dataClass.options].some((o) => o.value === p.dataClass && o.disabled)) el.dataClass.value = p.dataClass;
    updateClassHelp();
  }
  updatePresetHelp();
  markDirty();
}

function updatePresetHelp() {
  const p = (data.presets || []).find((x) => x.id === el.preset.value);
  const help = root.querySelector('#profile-preset-help');
  if (p) setText(help, p.needsKey ? 'settings.preset_needs_key' : 'settings.preset_no_key', { name: p.name, model: p.modelHint });
  else setText(help, 'settings.preset_help');
}

function fieldError(id, key) {
  const msg = root.querySelector('#' + id + '-error');
  const input = root.querySelector('#' + id);
  if (key) {
    setText(msg, key);
    msg.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.closest('.field').classList.add('invalid');
  } else {
    msg.hidden = true;
    input.removeAttribute('aria-invalid');
    input.closest('.field').classList.remove('invalid');
  }
}

function clearErrors() {
  for (const id of ['profile-name', 'profile-base-url', 'profile-model', 'profile-temperature']) fieldError(id, null);
}

/** The profile in the form, or null (with the errors shown) when it is not valid. */
function readForm() {
  clearErrors();
  let ok = true;
  const name = el.name.value.trim();
  const baseUrl = el.baseUrl.value.trim();
  const model = el.model.value.trim();
  const tRaw = el.temperature.value.trim();
  let first = null;
  const bad = (id, key) => {
    fieldError(id, key);
    ok = false;
    first = first || id;
  };
  if (!name) bad('profile-name', 'form.required_error');
  else if (name === 'practice' || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) bad('profile-name', 'settings.name_invalid');
  if (!baseUrl) bad('profile-base-url', 'form.required_error');
  else if (!/^https?:\/\/[^\s/]+/i.test(baseUrl)) bad('profile-base-url', 'settings.base_url_invalid');
  if (!model) bad('profile-model', 'form.required_error');
  let temperature = null;
  if (el.temperature.validity.badInput) bad('profile-temperature', 'form.bad_number');
  else if (tRaw) {
    temperature = Number(tRaw);
    if (!(temperature >= 0 && temperature <= 2)) bad('profile-temperature', 'settings.temperature_invalid');
  }
  if (first) root.querySelector('#' + first).focus();
  const dataClass = el.dataClass.value || null;
  // A sovereign profile may switch pseudonymisation off; the others have no choice.
  const pseudonymise = dataClass === 'sovereign' ? el.pseudonymise.checked : null;
  return ok ? { name, baseUrl, model, preset: el.preset.value || null, temperature, dataClass, pseudonymise } : null;
}

async function save() {
  const ok = await persist();
  if (ok) toast('settings.saved');
}

/** Saves the profile (and the key, if typed). Resolves the profile name, or null. */
async function persist() {
  const p = readForm();
  if (!p) return null;
  if (!editing && (data.profiles || []).some((x) => x.name === p.name)) {
    fieldError('profile-name', 'settings.name_taken');
    el.name.focus();
    return null;
  }
  el.save.disabled = true;
  try {
    await api.saveProfile(p, el.makeDefault.checked);
    clearError();
    const key = el.key.value;
    el.key.value = '';
    if (key.trim()) {
      try {
        await api.setKey(p.name, key.trim());
      } catch (e) {
        showError(e);
      }
    }
    editing = p.name;
    el.name.readOnly = true;
    setText(el.formTitle, 'settings.edit_title', { name: p.name });
    el.form.dataset.dirty = '';
    await reload();
    profilesChanged();
    await refreshKeyStatus(p.name);
    return p.name;
  } catch (e) {
    showError(e);
    if (e.code === 'config.invalid_profile' || e.code === 'config.profile_exists') fieldError('profile-name', errorKey(e.code));
    return null;
  } finally {
    el.save.disabled = false;
  }
}

async function refreshKeyStatus(name) {
  el.keyStatus.className = 'key-status';
  el.keyStatus.replaceChildren(h('span', { i18n: 'settings.key_checking' }));
  el.keyStatus.removeAttribute('title');
  try {
    const s = await api.keyStatus(name);
    if (editing !== name) return;
    if (s.stored) {
      el.keyStatus.replaceChildren(icon('check'), h('span', { i18n: 'settings.key_stored' }));
      el.keyStatus.className = 'key-status ok';
    } else {
      el.keyStatus.replaceChildren(h('span', { i18n: 'settings.key_none' }));
    }
    if (s.notice) {
      const key = noticeKey(s.notice.code);
      el.keyStatus.appendChild(key ? h('span', { class: 'key-notice', i18n: key, title: s.notice.message }) : h('span', { class: 'key-notice', dir: 'auto', text: s.notice.message }));
    }
    translate(el.keyStatus);
    el.deleteKey.hidden = !s.stored;
  } catch (e) {
    el.keyStatus.replaceChildren(icon('alert'), h('span', { i18n: errorKey(e.code) }));
    el.keyStatus.title = e.message || '';
    el.keyStatus.className = 'key-status warn';
    translate(el.keyStatus);
    el.deleteKey.hidden = true;
  }
}

async function deleteKey() {
  if (!editing) return;
  const name = editing;
  try {
    await api.deleteKey(name);
    toast('settings.key_deleted');
    await refreshKeyStatus(name);
  } catch (e) {
    showError(e);
  }
}

async function testConnection() {
  el.testResult.hidden = true;
  // Testing reads the saved profile: save what the form shows first.
  let name = editing;
  if (!name || el.form.dataset.dirty || el.key.value) {
    name = await persist();
    if (!name) return;
  }
  el.test.disabled = true;
  el.test.classList.add('busy');
  el.testResult.className = 'test-result pending';
  el.testResult.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', { i18n: 'settings.testing' }));
  translate(el.testResult);
  el.testResult.hidden = false;
  try {
    const r = await api.testConnection(name);
    const models = r.models || [];
    const parts = [icon('check'), h('span', { i18n: models.length === 1 ? 'settings.test_ok_one' : 'settings.test_ok', i18nArgs: { n: num(models.length) } })];
    if (!r.modelServed && r.model) parts.push(h('span', { class: 'test-warn', i18n: 'settings.model_not_served', i18nArgs: { model: r.model } }));
    el.testResult.replaceChildren(...parts);
    el.testResult.className = 'test-result ' + (r.modelServed || !r.model ? 'ok' : 'warn');
    translate(el.testResult);
    fillModels(models, r.model);
  } catch (e) {
    el.testResult.replaceChildren(icon('alert'), h('div', {}, h('p', { class: 'test-title', i18n: errorKey(e.code) }), h('p', { class: 'test-detail', dir: 'auto', text: e.message })));
    el.testResult.className = 'test-result fail';
    translate(el.testResult);
  } finally {
    el.test.disabled = false;
    el.test.classList.remove('busy');
  }
}

function fillModels(models, current) {
  if (!models.length) {
    el.models.hidden = true;
    return;
  }
  el.models.replaceChildren(h('option', { value: '', i18n: 'settings.models_choose' }), ...models.map((m) => h('option', { value: m, text: m })));
  translate(el.models);
  el.models.value = models.includes(current) ? current : '';
  el.models.hidden = false;
}

// ---------------------------------------------------------------------------------------------
// Letterhead and signature (what frames every exported letter)

/** Suggestions shown in the empty letterhead fields: data examples, in their own language. */
const LH_EXAMPLE_FR = "Royaume du Maroc\nMinistère de l'Intérieur\nWilaya de la Région de l'Oriental\nCommune d'Oujda";
const LH_EXAMPLE_AR = 'المملكة المغربية\nوزارة الداخلية\nولاية جهة الشرق\nجماعة وجدة';
const LH_TEXT = ['signature_title', 'signature_title_ar', 'signature_name', 'signature_name_ar', 'ville', 'ville_ar'];
const LH_PLACEHOLDERS = {
  signature_title: 'Le Président du Conseil Communal',
  signature_title_ar: 'رئيس المجلس الجماعي',
  ville: 'Oujda',
  ville_ar: 'وجدة',
};
const LH_FIELDS = ['{{objet}}', '{{corps}}', '{{date}}', '{{destinataire}}', '{{reference}}', '{{signataire}}'];

/** The logo and the Word letterhead chosen in the form: absolute paths, or null. */
const lhFiles = { logo: null, docx: null };

function buildLetterhead() {
  const ar = (name) => name === 'ar' || name.endsWith('_ar');
  const control = (name) => ({ id: 'lh-' + name.replace(/_/g, '-'), name, dir: ar(name) ? 'rtl' : 'ltr', lang: ar(name) ? 'ar' : 'fr' });

  el.lhFr = h('textarea', { ...control('fr'), rows: '5', spellcheck: 'false', placeholder: LH_EXAMPLE_FR, 'aria-describedby': 'lh-lines-help' });
  el.lhAr = h('textarea', { ...control('ar'), rows: '5', spellcheck: 'false', placeholder: LH_EXAMPLE_AR, 'aria-describedby': 'lh-lines-help' });
  el.lhText = {};
  for (const name of LH_TEXT) {
    el.lhText[name] = h('input', { ...control(name), type: 'text', autocomplete: 'off', placeholder: LH_PLACEHOLDERS[name] || null, 'aria-describedby': 'lh-signature-help' });
  }
  el.lhHijri = h('input', { id: 'lh-hijri', name: 'hijri', type: 'checkbox' });
  el.lhSave = h('button', { type: 'submit', class: 'btn btn-primary', id: 'save-letterhead' }, icon('check'), h('span', { i18n: 'letterhead.save' }));
  el.lhResult = h('div', { class: 'test-result', id: 'letterhead-result', hidden: true, role: 'status' });

  const field = (labelKey, c) => h('div', { class: 'field', dataset: { field: c.name } }, h('label', { class: 'field-label', for: c.id, i18n: labelKey }), c);
  const pair = (a, b) => h('div', { class: 'field-row lh-pair' }, a, b);

  el.lhForm = h(
    'form',
    { id: 'letterhead-form', class: 'letterhead-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); saveLetterhead(); } },
    h(
      'fieldset',
      { class: 'lh-group' },
      h('legend', { class: 'lh-legend', i18n: 'letterhead.header' }),
      pair(field('letterhead.fr', el.lhFr), field('letterhead.ar', el.lhAr)),
      h('p', { class: 'help', id: 'lh-lines-help', i18n: 'letterhead.lines_help' }),
      fileRow('logo', 'letterhead.logo', 'letterhead.no_logo', 'letterhead.logo_help'),
    ),
    h(
      'fieldset',
      { class: 'lh-group' },
      h('legend', { class: 'lh-legend', i18n: 'letterhead.signature' }),
      pair(field('letterhead.signature_title', el.lhText.signature_title), field('letterhead.signature_title_ar', el.lhText.signature_title_ar)),
      pair(field('letterhead.signature_name', el.lhText.signature_name), field('letterhead.signature_name_ar', el.lhText.signature_name_ar)),
      pair(field('letterhead.ville', el.lhText.ville), field('letterhead.ville_ar', el.lhText.ville_ar)),
      h('p', { class: 'help', id: 'lh-signature-help', i18n: 'letterhead.signature_help' }),
      h('label', { class: 'check' }, el.lhHijri, h('span', { i18n: 'letterhead.hijri' })),
    ),
    h(
      'fieldset',
      { class: 'lh-group' },
      h('legend', { class: 'lh-legend', i18n: 'letterhead.docx_title' }),
      fileRow('docx', 'letterhead.docx', 'letterhead.no_docx', 'letterhead.docx_help'),
      h('p', { class: 'help lh-placeholders' }, h('span', { i18n: 'letterhead.docx_fields' }), ' ', ...LH_FIELDS.flatMap((f, i) => [i ? ' ' : null, h('code', { dir: 'ltr', text: f })])),
    ),
    h('div', { class: 'form-actions' }, el.lhSave),
    el.lhResult,
  );
  el.lhForm.addEventListener('input', lhChanged);
  el.lhForm.addEventListener('change', lhChanged);
  setLhFile('logo', null, false);
  setLhFile('docx', null, false);
}

/** A file of the letterhead: its path (or "none"), Choose and Remove. `kind`: "logo" | "docx". */
function fileRow(kind, labelKey, noneKey, helpKey) {
  const id = 'lh-' + kind;
  const path = h('code', { class: 'lh-path', id: id + '-path', dir: 'ltr' });
  const hidden = h('input', { type: 'hidden', name: kind, id: id + '-value', value: '' });
  const choose = h('button', { type: 'button', class: 'btn btn-small', id: id + '-choose', 'aria-describedby': id + '-help ' + id + '-error', onclick: () => chooseLhFile(kind) }, icon('upload'), h('span', { i18n: 'letterhead.choose' }));
  const remove = h('button', { type: 'button', class: 'btn btn-small btn-ghost', id: id + '-remove', onclick: () => setLhFile(kind, null, true) }, icon('close'), h('span', { i18n: 'letterhead.remove' }));
  el['lh_' + kind] = { path, hidden, remove, noneKey };
  return h(
    'div',
    { class: 'field lh-file', dataset: { field: kind } },
    h('span', { class: 'field-label', id: id + '-label', i18n: labelKey }),
    h('div', { class: 'lh-file-row', role: 'group', 'aria-labelledby': id + '-label' }, path, h('span', { class: 'lh-file-actions' }, choose, remove), hidden),
    h('p', { class: 'help', id: id + '-help', i18n: helpKey }),
    h('p', { class: 'field-error', id: id + '-error', hidden: true, role: 'alert' }),
  );
}

function setLhFile(kind, path, byUser) {
  const f = el['lh_' + kind];
  lhFiles[kind] = path || null;
  f.hidden.value = path || '';
  // A path reads left to right; the "none" sentence in the UI's direction.
  f.path.dir = path ? 'ltr' : 'auto';
  if (path) {
    delete f.path.dataset.i18n;
    f.path.textContent = path;
    f.path.title = path;
    f.path.classList.remove('none');
  } else {
    setText(f.path, f.noneKey);
    f.path.removeAttribute('title');
    f.path.classList.add('none');
  }
  f.remove.hidden = !path;
  if (byUser) {
    lhFieldError(kind, null);
    lhChanged();
  }
}

async function chooseLhFile(kind) {
  try {
    const path = await api.pickLetterheadFile(kind);
    if (path) setLhFile(kind, path, true);
  } catch (e) {
    showError(e);
  }
}

function lhChanged() {
  el.lhForm.dataset.dirty = '1';
  el.lhResult.hidden = true;
}

function lhFieldError(kind, err) {
  const msg = root.querySelector('#lh-' + kind + '-error');
  const wrap = msg.closest('.field');
  if (err) {
    msg.replaceChildren(h('span', { i18n: errorKey(err.code) }), ' ', h('span', { class: 'lh-error-detail', dir: 'auto', text: err.message || '' }));
    translate(msg);
    msg.hidden = false;
    wrap.classList.add('invalid');
  } else {
    msg.hidden = true;
    msg.replaceChildren();
    wrap.classList.remove('invalid');
  }
}

/** Fills the form from the saved settings. */
async function loadLetterhead() {
  let lh;
  try {
    lh = await api.getLetterhead();
  } catch (e) {
    showError(e);
    return;
  }
  if (el.lhForm.dataset.dirty) return; // typed into meanwhile: what was typed stays
  lh = lh || {};
  el.lhFr.value = (lh.fr || []).join('\n');
  el.lhAr.value = (lh.ar || []).join('\n');
  for (const name of LH_TEXT) el.lhText[name].value = lh[name] || '';
  el.lhHijri.checked = !!lh.hijri;
  setLhFile('logo', lh.logo || null, false);
  setLhFile('docx', lh.docx || null, false);
  lhFieldError('logo', null);
  lhFieldError('docx', null);
  el.lhResult.hidden = true;
}

/** The whole settings object of the form: lines trimmed (empty ones dropped), "" -> null. */
function readLetterhead() {
  const lines = (s) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const lh = { fr: lines(el.lhFr.value), ar: lines(el.lhAr.value), logo: lhFiles.logo };
  for (const name of LH_TEXT) lh[name] = el.lhText[name].value.trim() || null;
  lh.hijri = el.lhHijri.checked;
  lh.docx = lhFiles.docx;
  return lh;
}

async function saveLetterhead() {
  el.lhSave.disabled = true;
  el.lhSave.classList.add('busy');
  el.lhResult.hidden = true;
  lhFieldError('logo', null);
  lhFieldError('docx', null);
  try {
    await api.saveLetterhead(readLetterhead());
    delete el.lhForm.dataset.dirty;
    clearError();
    el.lhResult.className = 'test-result ok';
    el.lhResult.replaceChildren(icon('check'), h('span', { i18n: 'letterhead.saved' }));
    translate(el.lhResult);
    el.lhResult.hidden = false;
    toast('letterhead.saved');
  } catch (e) {
    // The form stays as it is: the error says which file to change.
    showError(e);
    if (e.code === 'export.logo') lhFieldError('logo', e);
    else if (e.code === 'export.letterhead') lhFieldError('docx', e);
    el.lhResult.className = 'test-result fail';
    el.lhResult.replaceChildren(
      icon('alert'),
      h('div', {}, h('p', { class: 'test-title', i18n: errorKey(e.code) }), h('p', { class: 'test-detail', dir: 'auto', text: `${e.message || ''} (${e.code})` })),
    );
    translate(el.lhResult);
    el.lhResult.hidden = false;
  } finally {
    el.lhSave.disabled = false;
    el.lhSave.classList.remove('busy');
  }
}
