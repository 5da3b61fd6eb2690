// A date typed and shown as dd/mm/yyyy, whatever the system's locale. WebKit's <input type=date>
// follows the process locale (11/16/2026 under an English system), so this is a text input with a
// mask (digits only; the slashes come as you type; Arabic-Indic digits accepted), checked on the
// calendar, and a small calendar to pick a day. The value goes to core as typed: core normalises
// DD/MM/YYYY. Used by the template form and the History's date filters.

import { h, icon } from './dom.js';
import { locale } from './i18n.js';

const pad = (n) => String(n).padStart(2, '0');

/** Western digits for Arabic-Indic and Persian ones. */
function latinDigits(s) {
  return String(s || '').replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (c) => String((c.charCodeAt(0) & 0xf) % 10));
}

/** `{y, m, d}` of "16/11/2026", "16-11-2026", "16.11.2026", "2026-11-16", or null (also for 31/02). */
export function parseDate(s) {
  const v = latinDigits(s).trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  let y, mo, d;
  if (m) [d, mo, y] = [+m[1], +m[2], +m[3]];
  else if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v))) [y, mo, d] = [+m[1], +m[2], +m[3]];
  else return null;
  const dt = new Date(y, mo - 1, d);
  if (y < 1000 || dt.getFullYear() !== y || dt.getMonth() !== mo - 1 || dt.getDate() !== d) return null;
  return { y, m: mo, d };
}

/** "2026-11-16" -> "16/11/2026"; anything else as it is (a user's half-typed date stays). */
export function displayDate(s) {
  const v = String(s ?? '');
  const p = /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) ? parseDate(v) : null;
  return p ? `${pad(p.d)}/${pad(p.m)}/${p.y}` : v;
}

/** "16/11/2026" -> a local Date at midnight, or null. */
export function dateOf(s) {
  const p = parseDate(s);
  return p ? new Date(p.y, p.m - 1, p.d) : null;
}

/** Cleans what was typed: digits and slashes, at most 10 characters, slashes added while typing forward. */
function mask(value, forward) {
  let v = latinDigits(value).trim();
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(v);
  if (iso) return `${pad(iso[3])}/${pad(iso[2])}/${iso[1]}`;
  v = v.replace(/[.-]/g, '/').replace(/[^\d/]/g, '').replace(/\/{2,}/g, '/');
  if (/^\d{8}$/.test(v)) v = `${v.slice(0, 2)}/${v.slice(2, 4)}/${v.slice(4)}`;
  else if (forward && (/^\d{2}$/.test(v) || /^\d{1,2}\/\d{2}$/.test(v))) v += '/';
  return v.slice(0, 10);
}

/**
 * A date control: `{wrap, input, get(), set(v), invalid()}`. `invalid()` is true when something is
 * typed that is not a date. `props` go to the text input (id, name, aria-describedby, required...).
 */
export function dateInput(props) {
  const input = h('input', { type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false', dir: 'ltr', maxlength: '10', class: 'date-input', i18nPlaceholder: 'date.placeholder', ...props });
  input.addEventListener('input', (e) => {
    const atEnd = input.selectionStart === input.value.length;
    const forward = atEnd && !(e.inputType || '').startsWith('delete');
    const v = mask(input.value, forward);
    if (v !== input.value && (atEnd || v.length !== input.value.length)) input.value = v;
  });
  const button = h('button', { type: 'button', class: 'icon-btn date-pick', i18nAria: 'date.pick', i18nTitle: 'date.pick', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' }, icon('calendar'));
  const wrap = h('div', { class: 'date-control' }, input, button);
  let pop = null;

  const close = (focus) => {
    if (!pop) return;
    pop.remove();
    pop = null;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', outside, true);
    if (focus) button.focus();
  };
  const outside = (e) => {
    if (!wrap.contains(e.target)) close(false);
  };
  const pick = (y, m, d) => {
    input.value = `${pad(d)}/${pad(m + 1)}/${y}`;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
    close(false);
    input.focus();
  };
  button.addEventListener('click', () => {
    if (pop) return close(true);
    const cur = dateOf(input.value) || new Date();
    pop = calendar(cur, pick, () => close(true));
    wrap.appendChild(pop);
    button.setAttribute('aria-expanded', 'true');
    document.addEventListener('pointerdown', outside, true);
    const target = pop.querySelector('.cal-day.selected') || pop.querySelector('.cal-day.today') || pop.querySelector('.cal-day');
    if (target) target.focus();
  });

  return {
    wrap,
    input,
    get: () => input.value.trim(),
    set: (v) => {
      input.value = displayDate(v);
    },
    invalid: () => !!input.value.trim() && !parseDate(input.value),
  };
}

/** The month grid of `date`, Monday first, weekday and month names in the UI's language. */
function calendar(date, pick, close) {
  const sel = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  let year = sel.getFullYear();
  let month = sel.getMonth();
  const loc = locale() + '-u-nu-latn';
  const title = h('span', { class: 'cal-title', 'aria-live': 'polite' });
  const grid = h('div', { class: 'cal-grid', role: 'grid' });
  const nav = (delta) => () => {
    month += delta;
    if (month < 0) [month, year] = [11, year - 1];
    if (month > 11) [month, year] = [0, year + 1];
    paint();
  };
  const prev = h('button', { type: 'button', class: 'icon-btn cal-nav', i18nAria: 'date.prev_month', onclick: nav(-1) }, icon('back', 'flip-rtl'));
  const next = h('button', { type: 'button', class: 'icon-btn cal-nav', i18nAria: 'date.next_month', onclick: nav(1) }, icon('chevron', 'flip-rtl'));
  const pop = h('div', { class: 'cal-pop', role: 'dialog', i18nAria: 'date.pick' }, h('div', { class: 'cal-head' }, prev, title, next), grid);
  pop.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    }
  });
  const today = new Date();
  const same = (a, y, m, d) => a.getFullYear() === y && a.getMonth() === m && a.getDate() === d;
  function paint() {
    title.textContent = new Intl.DateTimeFormat(loc, { month: 'long', year: 'numeric' }).format(new Date(year, month, 1));
    const cells = [];
    const wd = new Intl.DateTimeFormat(loc, { weekday: 'narrow' });
    // 2024-01-01 was a Monday.
    for (let i = 0; i < 7; i++) cells.push(h('span', { class: 'cal-wd', 'aria-hidden': 'true', text: wd.format(new Date(2024, 0, 1 + i)) }));
    const lead = (new Date(year, month, 1).getDay() + 6) % 7;
    for (let i = 0; i < lead; i++) cells.push(h('span', { class: 'cal-pad' }));
    const days = new Date(year, month + 1, 0).getDate();
    for (let d = 1; d <= days; d++) {
      const cls = 'cal-day' + (same(sel, year, month, d) ? ' selected' : '') + (same(today, year, month, d) ? ' today' : '');
      cells.push(h('button', { type: 'button', class: cls, text: String(d), 'aria-label': `${pad(d)}/${pad(month + 1)}/${year}`, onclick: () => pick(year, month, d) }));
    }
    grid.replaceChildren(...cells);
  }
  paint();
  return pop;
}

