// Katib's window: starts the app (language, mode badge, last draft), switches between the three
// screens (home, template, settings) and wires the header.

import * as api from './api.js';
import { setLang, lang, t, setText, isLang, onLangChange } from './i18n.js';
import { showError, clearError } from './ui.js';
import * as home from './views/home.js';
import * as templateView from './views/template.js';
import * as settings from './views/settings.js';

const $ = (sel) => document.querySelector(sel);
const screens = { home: '#home', template: '#template-view', settings: '#settings-view' };
let info = null;
let currentView = null;

function showScreen(name) {
  for (const [k, sel] of Object.entries(screens)) $(sel).hidden = k !== name;
  currentView = name;
  document.body.dataset.view = name;
  $('#nav-home').setAttribute('aria-current', name === 'home' ? 'page' : 'false');
  $('#settings').setAttribute('aria-current', name === 'settings' ? 'page' : 'false');
  $('#main').scrollTop = 0;
}

async function goHome(focus) {
  showScreen('home');
  await home.enter();
  if (focus) home.focusSearch();
}

async function openTemplate(id, restore) {
  const ok = await templateView.open(id, restore);
  if (ok) {
    clearErrorUnlessBusy();
    showScreen('template');
    const first = $('#template-form input:not([type=hidden]), #template-form textarea, #template-form select');
    if (!restore && first) first.focus({ preventScroll: true });
  }
  return ok;
}

async function goSettings() {
  showScreen('settings');
  await settings.enter(info);
}

function clearErrorUnlessBusy() {
  if (!templateView.isGenerating()) clearError();
}

function updateBadge() {
  const badge = $('#mode-badge');
  const practice = !info || info.practice;
  badge.classList.toggle('practice', practice);
  badge.classList.toggle('online', !practice);
  if (practice) setText(badge.querySelector('.badge-text'), 'mode.practice');
  else setText(badge.querySelector('.badge-text'), 'mode.profile', { name: info.profile });
  badge.dataset.i18nTitle = practice ? 'mode.practice_title' : 'mode.profile_title';
  badge.title = t(badge.dataset.i18nTitle);
  setLangButtons();
}

function setLangButtons() {
  for (const l of ['fr', 'ar', 'en']) $('#lang-' + l).setAttribute('aria-pressed', String(l === lang()));
}

async function refreshInfo() {
  try {
    info = await api.appInfo();
  } catch (e) {
    showError(e);
  }
  updateBadge();
}

async function changeLanguage(l) {
  if (!isLang(l) || l === lang()) return;
  setLang(l);
  try {
    await api.setLanguage(l);
  } catch (e) {
    showError(e);
  }
}

async function boot() {
  $('#nav-home').addEventListener('click', () => {
    clearErrorUnlessBusy();
    goHome(true);
  });
  $('#settings').addEventListener('click', () => {
    clearErrorUnlessBusy();
    goSettings();
  });
  for (const l of ['fr', 'ar', 'en']) $('#lang-' + l).addEventListener('click', () => changeLanguage(l));
  document.addEventListener('katib:navigate', (e) => {
    const v = e.detail && e.detail.view;
    if (v === 'settings') goSettings();
    else if (v === 'home') goHome(true);
  });
  document.addEventListener('katib:profiles-changed', refreshInfo);
  onLangChange(setLangButtons);

  home.init($('#home'), (id) => openTemplate(id));
  templateView.init($('#template-view'));
  settings.init($('#settings-view'), { changeLanguage });

  // Both questions at once: start-up waits for one round trip, not two.
  const [infoR, draftR] = await Promise.allSettled([api.appInfo(), api.loadDraft()]);
  if (infoR.status === 'fulfilled') info = infoR.value;
  else showError(infoR.reason);
  setLang(info && isLang(info.language) ? info.language : 'fr');
  updateBadge();

  api.onFileDropped((p) => templateView.onFileDropped(p)).catch(() => {});

  let draft = null;
  if (draftR.status === 'fulfilled') draft = draftR.value;
  else showError(draftR.reason);
  if (!(draft && draft.template && (await openTemplate(draft.template, { values: draft.values || {}, files: draft.files || {}, answer: draft.answer || '' })))) {
    await goHome();
  }
  document.body.classList.add('ready');
  // The first screen is painted: tell the shell (it notes the time for the start-up benchmark).
  requestAnimationFrame(() => api.appReady().catch(() => {}));
}

boot();
