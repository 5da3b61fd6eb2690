// Settings: the signatories (the people letters pick in their "Signataire" field): an id, the
// function, name and delegation line in French and Arabic each, checked in place (ids unique and
// well formed, a function each) and saved to config.toml through core, which checks them again.

import * as api from '../../api.js';
import { h, icon, showError, clearError, toast } from '../../dom.js';
import { setText, translate, iso } from '../../i18n.js';

const el = {};


const SIG_FIELDS = [
  ['function', 'signatories.function', 'fr'],
  ['function_ar', 'signatories.function_ar', 'ar'],
  ['name', 'signatories.name', 'fr'],
  ['name_ar', 'signatories.name_ar', 'ar'],
  ['delegation', 'signatories.delegation', 'fr'],
  ['delegation_ar', 'signatories.delegation_ar', 'ar'],
];
const SIG_EXAMPLES = {
  function: 'Le Directeur Général des Services',
  function_ar: 'المدير العام للمصالح',
  delegation: 'Pour le Président et par délégation',
  delegation_ar: 'عن الرئيس وبتفويض منه',
};

/** The card (built once). */
export function buildSignatories() {
  el.sigList = h('div', { class: 'sig-list', id: 'signatory-list' });
  el.sigAdd = h('button', { type: 'button', class: 'btn btn-small', id: 'add-signatory', onclick: () => addSignatory({}, true) }, icon('plus'), h('span', { i18n: 'signatories.add' }));
  el.sigSave = h('button', { type: 'submit', class: 'btn btn-primary', id: 'save-signatories' }, icon('check'), h('span', { i18n: 'signatories.save' }));
  el.sigResult = h('div', { class: 'test-result', id: 'signatories-result', hidden: true, role: 'status' });
  el.sigForm = h(
    'form',
    { id: 'signatories-form', class: 'signatories-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); saveSignatories(); } },
    el.sigList,
    h('div', { class: 'form-actions' }, el.sigAdd, h('span', { class: 'spacer' }), el.sigSave),
    el.sigResult,
  );
  el.sigForm.addEventListener('input', () => {
    el.sigForm.dataset.dirty = '1';
    el.sigResult.hidden = true;
  });
  return h(
    'section',
    { class: 'card signatories-card', id: 'signatories-section', 'aria-labelledby': 'signatories-title' },
    h('h2', { class: 'card-title', id: 'signatories-title', i18n: 'signatories.title' }),
    h('p', { class: 'card-lead', i18n: 'signatories.lead' }),
    el.sigForm,
  );
}

let sigSeq = 0;

/** One signatory's row: its id, then function, name and delegation in French and Arabic. */
function addSignatory(s, focus) {
  const n = ++sigSeq;
  const inputs = {};
  const cell = (key, labelKey, l) => {
    const id = `sig-${n}-${key.replace('_', '-')}`;
    inputs[key] = h('input', { type: 'text', id, name: key, dir: l === 'ar' ? 'rtl' : 'ltr', lang: l, autocomplete: 'off', placeholder: s.id ? null : SIG_EXAMPLES[key] || null, value: s[key] || '' });
    return h('div', { class: 'field' }, h('label', { class: 'field-label', for: id, i18n: labelKey }), inputs[key]);
  };
  inputs.id = h('input', { type: 'text', id: `sig-${n}-id`, name: 'id', dir: 'ltr', autocomplete: 'off', spellcheck: 'false', placeholder: s.id ? null : 'dgs', value: s.id || '', 'aria-describedby': `sig-${n}-id-help` });
  const remove = h('button', { type: 'button', class: 'btn btn-small btn-ghost btn-danger-text sig-remove' }, icon('trash'), h('span', { i18n: 'signatories.remove' }));
  const item = h(
    'fieldset',
    { class: 'sig-item', dataset: { n: String(n) } },
    h('legend', { class: 'sr-only', i18n: 'signatories.item' }),
    h('div', { class: 'sig-id-row' }, h('div', { class: 'field sig-id' }, h('label', { class: 'field-label', for: `sig-${n}-id`, i18n: 'signatories.id' }), inputs.id, h('p', { class: 'help', id: `sig-${n}-id-help`, i18n: 'signatories.id_help' })), remove),
    h('div', { class: 'sig-grid' }, SIG_FIELDS.map(([k, label, l]) => cell(k, label, l))),
    h('p', { class: 'field-error', hidden: true, role: 'alert' }),
  );
  item._inputs = inputs;
  remove.addEventListener('click', () => {
    item.remove();
    el.sigForm.dataset.dirty = '1';
    renderSigEmpty();
  });
  el.sigList.appendChild(item);
  translate(item);
  renderSigEmpty();
  if (focus) {
    el.sigForm.dataset.dirty = '1';
    inputs.id.focus();
  }
}

function renderSigEmpty() {
  const empty = el.sigList.querySelector('.sig-empty');
  const has = el.sigList.querySelector('.sig-item');
  if (!has && !empty) el.sigList.appendChild(h('p', { class: 'help sig-empty', i18n: 'signatories.empty' }));
  else if (has && empty) empty.remove();
  translate(el.sigList);
}

/** Fills the card from the settings, unless it holds changes not saved yet. */
export async function loadSignatories() {
  let list;
  try {
    list = await api.getSignatories();
  } catch (e) {
    showError(e);
    return;
  }
  if (el.sigForm.dataset.dirty) return;
  el.sigList.replaceChildren();
  sigSeq = 0;
  for (const s of list || []) addSignatory(s, false);
  renderSigEmpty();
}

/** The rows as the settings want them ("" -> null), or null with the errors shown. */
function readSignatories() {
  const out = [];
  const ids = new Set();
  let first = null;
  for (const item of el.sigList.querySelectorAll('.sig-item')) {
    const i = item._inputs;
    const s = { id: i.id.value.trim() };
    for (const [k] of SIG_FIELDS) s[k] = i[k].value.trim() || null;
    const msg = item.querySelector('.field-error');
    let key = null;
    if (!/^[A-Za-z0-9_-]+$/.test(s.id)) key = 'signatories.bad_id';
    else if (ids.has(s.id)) key = 'signatories.duplicate_id';
    else if (!s.function) key = 'signatories.no_function';
    ids.add(s.id);
    item.classList.toggle('invalid', !!key);
    if (key) {
      setText(msg, key, { id: iso(s.id) });
      msg.hidden = false;
      first = first || (key === 'signatories.no_function' ? i.function : i.id);
    } else msg.hidden = true;
    s.function = s.function || '';
    out.push(s);
  }
  if (first) {
    first.focus();
    return null;
  }
  return out;
}

async function saveSignatories() {
  const list = readSignatories();
  if (!list) return;
  el.sigSave.disabled = true;
  try {
    await api.saveSignatories(list);
    delete el.sigForm.dataset.dirty;
    clearError();
    el.sigResult.className = 'test-result ok';
    el.sigResult.replaceChildren(icon('check'), h('span', { i18n: 'signatories.saved', i18nArgs: { n: list.length } }));
    translate(el.sigResult);
    el.sigResult.hidden = false;
    toast('signatories.saved', { n: list.length });
  } catch (e) {
    showError(e);
  } finally {
    el.sigSave.disabled = false;
  }
}

/** Whether the card holds changes not saved yet. */
export function signatoriesDirty() {
  return !!el.sigForm.dataset.dirty;
}
