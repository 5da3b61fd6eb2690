// The template editor's form for the template's fields (its `[[fields]]` entries): the list,
// one field edited at a time (name, type, required, label and help in French, Arabic and English,
// default, a list's options), a field added, removed, or moved up or down the list. Every change
// of the form rewrites that entry in the template's text (katib-workshop's fields::set, through
// `editor_set_field`), a move carries the whole entry to its new place (fields::move_to, through
// `editor_move_field`: the order of the fields is the order of the form the user fills), and the
// editor re-renders the text and the preview from it, as if it had been typed.
//
// Deliberately not here: the TOML (the shell rewrites it, keeping the rest of the file as
// written) and the preview.

import * as api from '../../api.js';
import { h, icon, reveal, showError } from '../../dom.js';
import { t, lang, setText, translate } from '../../i18n.js';

const TYPES = ['text', 'textarea', 'select', 'date', 'number', 'file', 'signatory'];
const LANGS = ['fr', 'ar', 'en'];

/**
 * `host`: `{text(): the template's text, setText(newText): the editor takes it (text, highlight,
 * preview)}`. Returns `{el, render(fields)}`; `render` is called with each analysis's fields
 * (FieldSpec list, or null when the settings do not parse).
 */
export function fieldsPanel(host) {
  let fields = null;
  /** The field being edited: its index in the text, and its form's controls. */
  let open = null;
  let busy = false;
  let again = false;
  /** A move on its way: the form's changes wait for it (they are made on the text it returns). */
  let moving = false;
  /** The text the form last wrote: an analysis of it has nothing new for the form. */
  let written = null;

  const list = h('ol', { class: 'edf-list', id: 'edf-list' });
  const none = h('p', { class: 'notice notice-warn', id: 'edf-broken', i18n: 'edf.broken', hidden: true });
  const formBox = h('div', { class: 'edf-form-box', id: 'edf-form-box' });
  const add = h('button', { type: 'button', class: 'btn btn-small', id: 'edf-add' }, icon('plus'), h('span', { i18n: 'edf.add' }));
  add.addEventListener('click', addField);
  const el = h(
    'div',
    { class: 'edf', id: 'edf' },
    h('p', { class: 'help', i18n: 'edf.lead' }),
    none,
    list,
    h('div', { class: 'ws-row' }, add),
    formBox,
  );

  function loc(x) {
    if (x == null) return '';
    return x[lang()] || x.fr || '';
  }

  let shownSig = '';

  function render(next) {
    fields = next;
    // Typing in the body leaves the fields as they were: nothing to redo.
    const sig = JSON.stringify(next) + lang() + (open ? open.index : '');
    if (sig === shownSig) return;
    shownSig = sig;
    none.hidden = next != null;
    add.disabled = next == null;
    list.replaceChildren(
      ...(next || []).map((f, i) =>
        h(
          'li',
          { class: 'edf-item' + (open && open.index === i ? ' selected' : ''), dataset: { name: f.name } },
          h(
            'button',
            { type: 'button', class: 'edf-pick', 'aria-pressed': String(!!(open && open.index === i)), onclick: () => edit(i) },
            h('span', { class: 'edf-label', dir: 'auto', text: loc(f.label) || f.name }),
            h('code', { class: 'edf-name', dir: 'ltr', text: f.name }),
            h('span', { class: 'chip chip-quiet', i18n: 'edf.type.' + f.type }),
            f.required ? h('span', { class: 'chip', i18n: 'edf.required_chip' }) : null,
          ),
          moveButton(i, -1, next.length),
          moveButton(i, 1, next.length),
          removeButton(i),
        ),
      ),
    );
    if (open) {
      const f = next && next[open.index];
      if (!f) close();
      // Changed elsewhere (typed in the text): the form follows, unless it is being typed in or
      // has a change on its way (the fields shown may be those of the text before it).
      else if (!busy && !again && host.text() !== written && !formBox.contains(document.activeElement) && JSON.stringify(norm(f)) !== JSON.stringify(open.read())) fill(f);
    }
  }

  /** A field as the shell gives it, in the shape the form reads (to compare the two). */
  function norm(f) {
    const l3 = (x) => ({ fr: (x && x.fr) || '', ar: (x && x.ar) || null, en: (x && x.en) || null });
    return {
      name: f.name,
      type: f.type,
      required: !!f.required,
      label: l3(f.label),
      help: f.help && LANGS.some((l) => (f.help[l] || '').trim()) ? l3(f.help) : null,
      default: f.default ?? null,
      options: (f.options || []).map((o) => ({ value: o.value, label: l3(o.label) })),
    };
  }

  /** "Monter" (`step` -1) or "Descendre" (+1): one place up or down, none past the ends. */
  function moveButton(i, step, count) {
    const key = step < 0 ? 'edf.up' : 'edf.down';
    const to = i + step;
    return h(
      'button',
      { type: 'button', class: 'icon-btn edf-move ' + (step < 0 ? 'edf-up' : 'edf-down'), i18nAria: key, i18nTitle: key, dataset: { index: i }, disabled: to < 0 || to >= count, onclick: () => moveField(i, to) },
      icon(step < 0 ? 'up' : 'down'),
    );
  }

  /** Removing asks once more in place (a second click), never through a native dialog. */
  function removeButton(i) {
    const b = h('button', { type: 'button', class: 'icon-btn edf-remove', i18nAria: 'edf.remove', i18nTitle: 'edf.remove', dataset: { index: i } }, icon('trash'));
    b.addEventListener('click', () => {
      if (b.dataset.confirm) return removeField(i);
      b.dataset.confirm = '1';
      b.classList.add('edf-confirm');
      b.replaceChildren(icon('trash'), h('span', { i18n: 'edf.remove_confirm', i18nArgs: { name: fields[i].name } }));
    });
    return b;
  }

  function close() {
    open = null;
    formBox.replaceChildren();
  }

  function edit(i) {
    if (!fields || !fields[i]) return;
    open = { index: i };
    build();
    fill(fields[i]);
    render(fields);
    const item = list.children[i];
    if (item) reveal(item);
    open.focus.focus();
  }

  /** The form of one field: built once per field opened, then filled and read. */
  function build() {
    const id = (k) => 'edf-' + k;
    const input = (k, props = {}) => h('input', { type: 'text', id: id(k), class: 'ws-input', autocomplete: 'off', ...props });
    const labelled = (k, key, control, hint) =>
      h('div', { class: 'edf-row' }, h('label', { class: 'field-label', for: id(k), i18n: key }), control, hint ? h('p', { class: 'help', i18n: hint }) : null);
    const name = input('name', { dir: 'ltr', spellcheck: 'false' });
    const type = h('select', { id: id('type'), class: 'ws-input' }, TYPES.map((x) => h('option', { value: x, i18n: 'edf.type.' + x })));
    const required = h('input', { type: 'checkbox', id: id('required') });
    const texts = (k) => Object.fromEntries(LANGS.map((l) => [l, input(`${k}-${l}`, { dir: l === 'ar' ? 'rtl' : 'ltr', lang: l })]));
    const label = texts('label');
    const help = texts('help');
    const def = input('default', { dir: 'auto' });
    const options = h('div', { class: 'edf-options', id: id('options') });
    const addOption = h('button', { type: 'button', class: 'btn btn-small btn-ghost', id: id('option-add') }, icon('plus'), h('span', { i18n: 'edf.option_add' }));
    addOption.addEventListener('click', () => {
      options.appendChild(optionRow({ value: '', label: { fr: '' } }));
      changed();
    });
    const optionsBox = h('fieldset', { class: 'edf-fieldset', id: id('options-box') }, h('legend', { i18n: 'edf.options' }), h('p', { class: 'help', i18n: 'edf.options_help' }), options, addOption);
    const other = h('p', { class: 'help edf-other', id: id('other'), hidden: true });
    const error = h('p', { class: 'field-error', id: id('error'), role: 'alert', hidden: true });
    const triple = (k, key, box) =>
      h(
        'fieldset',
        { class: 'edf-fieldset' },
        h('legend', { i18n: key }),
        h('div', { class: 'edf-langs' }, LANGS.map((l) => h('div', { class: 'edf-lang' }, h('label', { class: 'edf-lang-name', for: id(`${k}-${l}`), i18n: 'edf.lang.' + l }), box[l]))),
      );
    const done = h('button', { type: 'button', class: 'btn btn-small', id: id('close') }, icon('check'), h('span', { i18n: 'edf.close' }));
    done.addEventListener('click', () => {
      close();
      render(fields);
    });
    const form = h(
      'form',
      { class: 'edf-form', id: 'edf-form', novalidate: true, onsubmit: (e) => e.preventDefault() },
      h('h3', { class: 'ws-h3', id: id('title') }),
      h('div', { class: 'edf-grid' }, labelled('name', 'edf.name', name, 'edf.name_help'), labelled('type', 'edf.type', type), h('label', { class: 'edf-check' }, required, h('span', { i18n: 'edf.required' }))),
      triple('label', 'edf.label', label),
      triple('help', 'edf.help', help),
      labelled('default', 'edf.default', def, 'edf.default_help'),
      optionsBox,
      other,
      error,
      h('div', { class: 'ws-row' }, done),
    );
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
    formBox.replaceChildren(form);
    translate(form);

    function optionRow(o) {
      const value = h('input', { type: 'text', class: 'ws-input edf-opt-value', dir: 'ltr', autocomplete: 'off', i18nAria: 'edf.option_value', i18nPlaceholder: 'edf.option_value' });
      value.value = o.value;
      const labels = LANGS.filter((l) => l !== 'en').map((l) => {
        const x = h('input', { type: 'text', class: 'ws-input edf-opt-label', dir: l === 'ar' ? 'rtl' : 'ltr', lang: l, autocomplete: 'off', dataset: { lang: l }, i18nAria: 'edf.option_label_' + l, i18nPlaceholder: 'edf.option_label_' + l });
        x.value = (o.label && o.label[l]) || '';
        return x;
      });
      const row = h('div', { class: 'edf-opt' }, value, labels);
      row.appendChild(
        h('button', {
          type: 'button',
          class: 'icon-btn',
          i18nAria: 'edf.option_remove',
          i18nTitle: 'edf.option_remove',
          onclick: () => {
            row.remove();
            changed();
          },
        }, icon('close')),
      );
      row._en = (o.label && o.label.en) || null;
      return row;
    }

    open.focus = label.fr;
    open.fill = (f) => {
      setText(form.querySelector('#' + id('title')), 'edf.editing', { name: f.name });
      name.value = f.name;
      type.value = f.type;
      required.checked = !!f.required;
      for (const l of LANGS) {
        label[l].value = (f.label && f.label[l]) || '';
        help[l].value = (f.help && f.help[l]) || '';
      }
      def.value = f.default ?? '';
      options.replaceChildren(...(f.options || []).map(optionRow));
      optionsBox.hidden = f.type !== 'select';
      other.hidden = !(f.other && f.other.length);
      if (!other.hidden) setText(other, 'edf.other', { keys: f.other.join(', ') });
      error.hidden = true;
    };
    open.read = () => {
      const loc3 = (box) => ({ fr: box.fr.value, ar: box.ar.value || null, en: box.en.value || null });
      const hasHelp = LANGS.some((l) => help[l].value.trim());
      return {
        name: name.value.trim(),
        type: type.value,
        required: required.checked,
        label: loc3(label),
        help: hasHelp ? loc3(help) : null,
        default: def.value.trim() ? def.value : null,
        options: [...options.children].map((row) => {
          const [v, ...ls] = row.querySelectorAll('input');
          const label = { fr: '', ar: null, en: row._en };
          for (const x of ls) label[x.dataset.lang] = x.value || (x.dataset.lang === 'fr' ? '' : null);
          return { value: v.value, label };
        }),
      };
    };
    open.error = (key, args, detail) => {
      error.replaceChildren(h('span', { i18n: key, i18nArgs: args || undefined }), h('span', { class: 'edf-detail', dir: 'ltr', text: detail ? ' (' + detail + ')' : '' }));
      error.hidden = false;
    };
    open.ok = () => {
      error.hidden = true;
      optionsBox.hidden = type.value !== 'select';
      setText(form.querySelector('#' + id('title')), 'edf.editing', { name: name.value.trim() });
    };
  }

  function fill(f) {
    open.fill(f);
  }

  /** The shell's refusals of a field (katib-workshop's `field.*` codes), in the user's language. */
  const REFUSED = { 'field.bad_name': 'edf.bad_name', 'field.duplicate': 'edf.dup_name', 'field.no_label': 'edf.need_label', 'field.no_options': 'edf.need_options' };

  /** The form changed: the entry is rewritten in the text (one call at a time, the latest form). */
  async function changed() {
    if (!open) return;
    if (busy || moving) {
      again = true;
      return;
    }
    const spec = open.read();
    busy = true;
    again = false;
    const index = open.index;
    try {
      const text = await api.editorSetField(host.text(), index, spec);
      open && open.ok();
      written = text;
      host.setText(text);
    } catch (e) {
      if (open && REFUSED[e.code]) open.error(REFUSED[e.code], { name: spec.name });
      else if (open) open.error('edf.refused', null, e.message);
    } finally {
      busy = false;
      if (again) changed();
    }
  }

  async function addField() {
    if (!fields) return;
    let n = fields.length + 1;
    while (fields.some((f) => f.name === 'champ_' + n)) n++;
    const spec = { name: 'champ_' + n, type: 'text', required: false, label: { fr: t('edf.new_label', { n }), ar: null, en: null }, help: null, default: null, options: [] };
    try {
      const text = await api.editorSetField(host.text(), null, spec);
      const index = fields.length;
      fields = [...fields, { ...spec, other: [] }];
      host.setText(text);
      edit(index);
    } catch (e) {
      showError(e);
    }
  }

  /** Field `i` moved to place `to`: the text, the list and the field being edited follow it. */
  async function moveField(i, to) {
    if (moving) return;
    moving = true;
    try {
      // A change of the form on its way is written first: the move is made on the text after it.
      while (busy) await new Promise((r) => setTimeout(r, 15));
      if (!fields || !fields[i] || !fields[to]) return;
      const text = await api.editorMoveField(host.text(), i, to);
      const place = (k) => (k === i ? to : i < k && k <= to ? k - 1 : to <= k && k < i ? k + 1 : k);
      if (open) open.index = place(open.index);
      const next = [...fields];
      next.splice(to, 0, ...next.splice(i, 1));
      written = text;
      host.setText(text);
      // The list now, in the new order (the analysis of the text gives the same fields).
      render(next);
      // Keyboard users keep their place: the focus goes with the field it moved.
      const item = list.children[to];
      if (item) {
        reveal(item);
        const b = item.querySelector(to < i ? '.edf-up' : '.edf-down');
        (b && !b.disabled ? b : item.querySelector('.edf-pick')).focus();
      }
    } catch (e) {
      showError(e);
    } finally {
      moving = false;
      if (again) changed();
    }
  }

  async function removeField(i) {
    const f = fields && fields[i];
    if (!f) return;
    try {
      const text = await api.editorRemoveField(host.text(), i);
      if (open && open.index === i) close();
      else if (open && open.index > i) open.index--;
      host.setText(text);
    } catch (e) {
      showError(e);
    }
  }

  return { el, render };
}
