// What the editor's preview renders on: the template's sample, or values typed in a small form
// generated from the template's fields as they stand in the text (a field added or renamed shows
// at once). The values typed are kept by field name while the fields change.
//
// Deliberately not here: the template screen's full form (views/template/form.js: signatories,
// attached files, conditions, drafts), which belongs to that screen's state; this one is a
// scratch form for trying a template. Attached files are not offered: the preview reads them
// only from the sample.

import { h } from '../../dom.js';
import { lang, translate } from '../../i18n.js';
import { dateInput } from '../../dateinput.js';

/**
 * `onChange()`: the mode or a value changed (the editor refreshes the preview). Returns
 * `{el, render(fields), inputs()}`; `inputs()` is null on the sample, else `{values, files}`.
 */
export function inputsPanel(onChange) {
  let mode = 'sample';
  let sig = '';
  const values = {};
  const controls = {};
  const radio = (value, key) => {
    const r = h('input', { type: 'radio', name: 'ed-on', id: 'ed-on-' + value, value, checked: value === mode });
    r.addEventListener('change', () => {
      if (!r.checked) return;
      mode = value;
      box.hidden = mode !== 'form';
      onChange();
    });
    return h('label', { class: 'ed-on-choice', for: 'ed-on-' + value }, r, h('span', { i18n: key }));
  };
  const box = h('div', { class: 'ed-inputs', id: 'ed-inputs', hidden: true });
  const el = h(
    'div',
    { class: 'ed-on' },
    h('fieldset', { class: 'ed-on-switch', id: 'ed-on' }, h('legend', { class: 'sr-only', i18n: 'ed.preview_on' }), radio('sample', 'ed.on_sample'), radio('form', 'ed.on_form')),
    box,
  );

  function loc(x) {
    if (x == null) return '';
    return x[lang()] || x.fr || '';
  }

  function render(fields) {
    const list = (fields || []).filter((f) => f.type !== 'file');
    const next = JSON.stringify([list.map((f) => [f.name, f.type, f.label, f.options, f.default]), lang()]);
    if (next === sig) return;
    sig = next;
    const rows = list.map((f) => {
      const id = 'ed-in-' + f.name;
      let ctl;
      let read;
      if (f.type === 'select') {
        const c = h('select', { id, class: 'ws-input', dataset: { name: f.name } }, h('option', { value: '', i18n: 'form.select_none' }), (f.options || []).map((o) => h('option', { value: o.value, dir: 'auto', text: loc(o.label) || o.value })));
        c.value = values[f.name] ?? f.default ?? '';
        ctl = c;
        read = () => c.value;
      } else if (f.type === 'date') {
        const d = dateInput({ id, dataset: { name: f.name } });
        d.set(values[f.name] ?? '');
        ctl = d.wrap;
        read = d.get;
      } else {
        const c =
          f.type === 'textarea'
            ? h('textarea', { id, class: 'ws-input', rows: 3, dir: 'auto', dataset: { name: f.name } })
            : h('input', { id, class: 'ws-input', type: f.type === 'number' ? 'number' : 'text', dir: 'auto', autocomplete: 'off', dataset: { name: f.name } });
        c.value = values[f.name] ?? '';
        ctl = c;
        read = () => c.value;
      }
      controls[f.name] = read;
      return h('div', { class: 'ed-in-row' }, h('label', { class: 'field-label', for: id, dir: 'auto', text: loc(f.label) || f.name }), ctl);
    });
    for (const k of Object.keys(controls)) if (!list.some((f) => f.name === k)) delete controls[k];
    box.replaceChildren(...rows, h('p', { class: 'help', i18n: 'ed.on_form_files', hidden: !(fields || []).some((f) => f.type === 'file') }));
    translate(box);
  }

  box.addEventListener('input', () => {
    for (const [k, read] of Object.entries(controls)) values[k] = read();
    onChange();
  });
  box.addEventListener('change', () => {
    for (const [k, read] of Object.entries(controls)) values[k] = read();
    onChange();
  });

  function inputs() {
    if (mode !== 'form') return null;
    const out = {};
    for (const [k, read] of Object.entries(controls)) {
      const v = read();
      if (String(v).trim() !== '') out[k] = v;
    }
    return { values: out, files: {} };
  }

  return { el, render, inputs, mode: () => mode };
}
