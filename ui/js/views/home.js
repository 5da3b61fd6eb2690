// The home screen: the template gallery, by category (letters, notes and reports, acts,
// spreadsheets, summaries), with a bar of the categories that narrows the gallery to one, and a
// search box filtering on title and description (accents and Arabic diacritics ignored). A card
// opens its template on click or Enter.

import * as api from '../api.js';
import { h, icon, fold, showError } from '../dom.js';
import { t, lang, setText, translate, onLangChange } from '../i18n.js';

const CATEGORY_ORDER = ['letter', 'note', 'act', 'spreadsheet', 'summary'];
const CATEGORY_ICON = { letter: 'letter', note: 'note', act: 'act', spreadsheet: 'sheet', summary: 'summary' };

let root = null;
let el = {};
let templates = [];
let loadedLang = null;
/** The category the bar narrows the gallery to, or null for all. */
let only = null;
let openTemplate = () => {};
let currentTemplate = () => null;

/** `onOpen(id)` opens a template; `current()` is the open one ({id, title}) or null. */
export function init(container, onOpen, current) {
  root = container;
  openTemplate = onOpen;
  currentTemplate = current;
  build();
  onLangChange(() => {
    if (!root.hidden) refresh();
  });
}

function build() {
  el.search = h('input', {
    type: 'search',
    id: 'search',
    class: 'search-input',
    autocomplete: 'off',
    spellcheck: 'false',
    i18nPlaceholder: 'home.search_placeholder',
    i18nAria: 'home.search_label',
  });
  el.search.addEventListener('input', render);
  el.search.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && el.search.value) {
      el.search.value = '';
      render();
    } else if (e.key === 'Enter') {
      // Enter in the search box opens the first match.
      const first = root.querySelector('.template-card');
      if (first) openTemplate(first.dataset.id);
    } else if (e.key === 'ArrowDown') {
      const first = root.querySelector('.template-card');
      if (first) {
        e.preventDefault();
        first.focus();
      }
    }
  });
  el.cats = h('div', { class: 'category-bar', id: 'category-bar', role: 'group', i18nAria: 'home.categories' });
  el.count = h('p', { class: 'result-count', id: 'result-count', 'aria-live': 'polite' });
  el.resume = h('div', { class: 'resume', id: 'resume', hidden: true });
  el.list = h('div', { class: 'gallery', id: 'gallery' });
  el.list.addEventListener('keydown', onGridKey);
  root.replaceChildren(
    h(
      'div',
      { class: 'home-inner' },
      h(
        'div',
        { class: 'home-hero' },
        h('div', {}, h('h1', { class: 'home-title', i18n: 'home.title' }), h('p', { class: 'home-lead', i18n: 'home.lead' })),
        h('div', { class: 'search-box' }, icon('search', 'search-icon'), el.search),
      ),
      el.resume,
      el.cats,
      el.count,
      el.list,
    ),
  );
  translate(root);
}

/** Templates already fetched in language `l` (at start-up): the first enter() needs no call. */
export function prime(l, list) {
  templates = list;
  loadedLang = l;
}

/** Called when the screen is shown. */
export async function enter() {
  await refresh();
  renderResume();
}

async function refresh() {
  const l = lang();
  if (loadedLang !== l) {
    root.setAttribute('aria-busy', 'true');
    try {
      templates = await api.listTemplates(l);
      loadedLang = l;
    } catch (e) {
      showError(e);
      templates = [];
    } finally {
      root.removeAttribute('aria-busy');
    }
  }
  render();
  renderResume();
}

function renderResume() {
  const cur = currentTemplate();
  if (!cur) {
    el.resume.hidden = true;
    return;
  }
  const tpl = templates.find((x) => x.id === cur.id);
  el.resume.replaceChildren(
    icon('pen', 'resume-icon'),
    h('div', { class: 'resume-text' }, h('span', { class: 'resume-label', i18n: 'home.resume_label' }), h('strong', { dir: 'auto', text: tpl ? tpl.title : cur.title })),
    h('button', { type: 'button', class: 'btn btn-small', id: 'resume-draft', onclick: () => openTemplate(cur.id) }, h('span', { i18n: 'home.resume' })),
  );
  translate(el.resume);
  el.resume.hidden = false;
}

function matches(tpl, q) {
  if (!q) return true;
  const hay = fold(tpl.title + ' ' + tpl.description + ' ' + tpl.categoryLabel);
  return q.split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

/** The bar: every category with its count; one pressed narrows the gallery to it. */
function renderBar(cats) {
  const button = (cat, label, n) =>
    h(
      'button',
      { type: 'button', class: 'cat-filter', dataset: { category: cat || 'all' }, 'aria-pressed': String(only === cat), onclick: () => ((only = only === cat || cat === null ? null : cat), render()) },
      cat ? icon(CATEGORY_ICON[cat] || 'file') : null,
      h('span', { text: label }),
      h('span', { class: 'cat-count', text: String(n) }),
    );
  const present = cats.filter((c) => templates.some((x) => x.category === c));
  el.cats.replaceChildren(
    button(null, t('home.all'), templates.length),
    ...present.map((c) => button(c, templates.find((x) => x.category === c).categoryLabel || t('category.' + c), templates.filter((x) => x.category === c).length)),
  );
}

function render() {
  const q = fold(el.search.value.trim());
  const cats = [...new Set([...CATEGORY_ORDER, ...templates.map((x) => x.category)])];
  if (only && !templates.some((x) => x.category === only)) only = null;
  renderBar(cats);
  const shown = templates.filter((x) => matches(x, q) && (!only || x.category === only));
  const sections = [];
  for (const cat of cats) {
    const items = shown.filter((x) => x.category === cat);
    if (!items.length) continue;
    const label = items[0].categoryLabel || t('category.' + cat);
    const headId = 'cat-' + cat;
    sections.push(
      h(
        'section',
        { class: 'category', dataset: { category: cat }, 'aria-labelledby': headId },
        h('h2', { class: 'category-title', id: headId }, icon(CATEGORY_ICON[cat] || 'file', 'cat-icon'), h('span', { text: label }), h('span', { class: 'cat-count', text: String(items.length) })),
        h('div', { class: 'card-grid' }, items.map(card)),
      ),
    );
  }
  el.list.replaceChildren(...sections);
  if (!templates.length) setText(el.count, 'home.none');
  else if (!shown.length) setText(el.count, 'home.no_match', { q: el.search.value.trim() });
  else if (q) setText(el.count, shown.length === 1 ? 'home.count_one' : 'home.count', { n: shown.length });
  else {
    el.count.textContent = '';
    delete el.count.dataset.i18n;
  }
  el.count.hidden = !el.count.textContent;
}

function card(tpl) {
  return h(
    'button',
    {
      type: 'button',
      class: 'template-card',
      dataset: { id: tpl.id, category: tpl.category },
      onclick: () => openTemplate(tpl.id),
    },
    h('span', { class: 'card-icon' }, icon(CATEGORY_ICON[tpl.category] || 'file')),
    h('span', { class: 'card-body' }, h('span', { class: 'card-title', dir: 'auto', text: tpl.title }), h('span', { class: 'card-desc', dir: 'auto', text: tpl.description })),
    h(
      'span',
      { class: 'card-foot' },
      h('span', { class: 'card-format', i18n: 'format.' + (tpl.export || 'docx') }),
      tpl.generate === 'fixed' ? h('span', { class: 'card-fixed', i18n: 'template.fixed', i18nTitle: 'template.fixed_title' }) : null,
      icon('chevron', 'card-arrow flip-rtl'),
    ),
  );
}

/** Arrow keys move between cards (Tab works too). */
function onGridKey(e) {
  if (!['ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
  const cards = [...root.querySelectorAll('.template-card')];
  const i = cards.indexOf(document.activeElement);
  if (i < 0) return;
  const rtl = document.documentElement.dir === 'rtl';
  const cols = Math.max(1, Math.round(cards[0].parentElement.clientWidth / cards[0].offsetWidth));
  let j = i;
  if (e.key === 'ArrowRight') j = i + (rtl ? -1 : 1);
  else if (e.key === 'ArrowLeft') j = i + (rtl ? 1 : -1);
  else if (e.key === 'ArrowDown') j = i + cols;
  else if (e.key === 'ArrowUp') j = i - cols;
  else if (e.key === 'Home') j = 0;
  else if (e.key === 'End') j = cards.length - 1;
  if (e.key === 'ArrowUp' && j < 0) {
    el.search.focus();
    e.preventDefault();
    return;
  }
  j = Math.max(0, Math.min(cards.length - 1, j));
  e.preventDefault();
  cards[j].focus();
}

/** Focus the search box (when arriving on the screen by keyboard). */
export function focusSearch() {
  el.search.focus();
}
