// Katib's window (started by main.js): the language, the mode badge, the last draft; switches
// between the screens (home, template, history, settings, workshop, template editor, and the mail-merge
// opened from a template) and wires the header.

import * as api from './api.js';
import { setLang, lang, t, setText, isLang, onLangChange } from './i18n.js';
import { showError, clearError } from './dom.js';
import * as home from './views/home.js';

export { showError as showStartError };

const $ = (sel) => document.querySelector(sel);
const screens = { home: '#home', template: '#template-view', history: '#history-view', settings: '#settings-view', workshop: '#workshop-view', editor: '#editor-view', merge: '#merge-view' };
let info = null;
let currentView = null;

// The template and settings screens (and the Markdown renderer) are fetched when first needed, or
// once the first screen is up: start-up loads only what the home screen shows. So are the other
// screens' styles (css/screens.css): a screen is shown once they have loaded.
const loadScreenStyles = lazy(
  () =>
    new Promise((resolve, reject) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = 'css/screens.css';
      link.onload = resolve;
      link.onerror = () => {
        link.remove();
        reject(new Error('css/screens.css could not be loaded'));
      };
      document.head.append(link);
    }),
  () => {},
);
/** Module `load()` gives, once the screens' styles are there too. */
const styled = (load) => () => Promise.all([load(), loadScreenStyles()]).then(([m]) => m);
let templateView = null;
const loadTemplateView = lazy(styled(() => import('./views/template.js')), (m) => {
  m.init($('#template-view'));
  templateView = m;
});
let mergeView = null;
const loadMerge = lazy(styled(() => import('./views/merge.js')), (m) => {
  m.init($('#merge-view'));
  mergeView = m;
});
const loadSettings = lazy(styled(() => import('./views/settings.js')), (m) => m.init($('#settings-view'), { changeLanguage }));
// The History is fetched on its first visit only: it reads the history database, which start-up
// never opens (the window starts as fast with 10,000 recorded runs as with none).
const loadHistory = lazy(styled(() => import('./views/history.js')), (m) => m.init($('#history-view'), { reopen }));
let workshopView = null;
const loadWorkshop = lazy(styled(() => import('./views/workshop.js')), (m) => {
  m.init($('#workshop-view'));
  workshopView = m;
});
const loadEditor = lazy(styled(() => import('./views/editor.js')), (m) => m.init($('#editor-view')));

/** The module `load()` gives, fetched and initialised once (a failed fetch is retried next time). */
function lazy(load, init) {
  let p = null;
  return () =>
    (p ??= load().then(
      (m) => {
        init(m);
        return m;
      },
      (e) => {
        p = null;
        throw e;
      },
    ));
}

function showScreen(name) {
  for (const [k, sel] of Object.entries(screens)) $(sel).hidden = k !== name;
  // Not on the first screen: setting scrollTop forces a layout, and nothing has scrolled yet.
  if (currentView) $('#main').scrollTop = 0;
  currentView = name;
  document.body.dataset.view = name;
  $('#nav-home').setAttribute('aria-current', name === 'home' ? 'page' : 'false');
  $('#settings').setAttribute('aria-current', name === 'settings' ? 'page' : 'false');
  $('#nav-history').setAttribute('aria-current', name === 'history' ? 'page' : 'false');
  $('#nav-workshop').setAttribute('aria-current', name === 'workshop' ? 'page' : 'false');
  $('#nav-editor').setAttribute('aria-current', name === 'editor' ? 'page' : 'false');
}

async function goHome(focus) {
  showScreen('home');
  await home.enter();
  if (focus) home.focusSearch();
}

async function openTemplate(id, restore) {
  let view;
  try {
    view = await loadTemplateView();
  } catch (e) {
    showError(e);
    return false;
  }
  const ok = await view.open(id, restore);
  if (ok) {
    clearErrorUnlessBusy();
    showScreen('template');
    const first = $('#template-form input:not([type=hidden]), #template-form textarea, #template-form select');
    if (!restore && first) first.focus({ preventScroll: true });
  }
  return ok;
}

async function goHistory() {
  let history;
  try {
    history = await loadHistory();
  } catch (e) {
    showError(e);
    return;
  }
  showScreen('history');
  await history.enter(info);
}

/** A run reopened from the History: its template, with the form and the answer as recorded. */
async function reopen(run) {
  const texts = run.texts || {};
  const answer = texts.edited != null ? texts.edited : texts.answer || '';
  return openTemplate(run.summary.template_id, { values: texts.form || {}, files: {}, answer, runId: run.summary.id, model: run.summary.model || null });
}

async function goSettings() {
  let settings;
  try {
    settings = await loadSettings();
  } catch (e) {
    showError(e);
    return;
  }
  showScreen('settings');
  await settings.enter(info);
}

/** A lazily loaded screen: shown, then entered (`arg` passed on). */
async function goLazy(name, load, arg) {
  let view;
  try {
    view = await load();
  } catch (e) {
    showError(e);
    return;
  }
  showScreen(name);
  await view.enter(arg);
}

/** The mail-merge screen of template `tpl` (the template screen's "Publipostage"). */
async function goMerge(tpl) {
  let view;
  try {
    view = await loadMerge();
  } catch (e) {
    showError(e);
    return;
  }
  if (await view.open(tpl)) {
    clearErrorUnlessBusy();
    showScreen('merge');
  }
}

function clearErrorUnlessBusy() {
  if (!(templateView && templateView.isGenerating()) && !(mergeView && mergeView.isRunning())) clearError();
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
  await setLang(l);
  try {
    await api.setLanguage(l);
  } catch (e) {
    showError(e);
  }
}

/**
 * Files dropped on the window (the shell's `file-dropped` event): a workshop file (a pack
 * `.katib`, a submission `.katib-rendu`, a review `.katib-avis`) goes to the Formation screen,
 * from any screen; on the Formation screen a folder is imported as a pack; anywhere else files go
 * to the template form's file fields. Exported so that the end-to-end tests can also hand a path
 * to it directly.
 */
export async function onFileDropped(payload) {
  const paths = (payload && payload.paths) || [];
  const forWorkshop = paths.some((p) => /\.katib(-rendu|-avis)?$/i.test(String(p)));
  if (forWorkshop && currentView !== 'workshop') await goLazy('workshop', loadWorkshop);
  if (currentView === 'workshop' && workshopView) return workshopView.onFileDropped(payload);
  if (templateView) return templateView.onFileDropped(payload);
}

/** Starts the window; `first` = the first screen's three calls, already on their way. */
export async function boot(first) {
  $('#nav-home').addEventListener('click', () => {
    clearErrorUnlessBusy();
    goHome(true);
  });
  $('#settings').addEventListener('click', () => {
    clearErrorUnlessBusy();
    goSettings();
  });
  $('#nav-history').addEventListener('click', () => {
    clearErrorUnlessBusy();
    goHistory();
  });
  $('#nav-workshop').addEventListener('click', () => {
    clearErrorUnlessBusy();
    goLazy('workshop', loadWorkshop);
  });
  $('#nav-editor').addEventListener('click', () => {
    clearErrorUnlessBusy();
    goLazy('editor', loadEditor);
  });
  for (const l of ['fr', 'ar', 'en']) $('#lang-' + l).addEventListener('click', () => changeLanguage(l));
  document.addEventListener('katib:navigate', (e) => {
    const v = e.detail && e.detail.view;
    if (v === 'settings') goSettings();
    else if (v === 'history') goHistory();
    else if (v === 'home') goHome(true);
    else if (v === 'workshop') goLazy('workshop', loadWorkshop);
    else if (v === 'editor') goLazy('editor', loadEditor, e.detail.id);
    else if (v === 'merge' && e.detail.template) goMerge(e.detail.template);
    else if (v === 'template' && templateView && templateView.current()) openTemplate(templateView.current().id);
  });
  document.addEventListener('katib:profiles-changed', refreshInfo);
  onLangChange(setLangButtons);

  home.init($('#home'), (id) => openTemplate(id), () => (templateView ? templateView.current() : null));

  // Everything the first screen needs, in one round trip: the app's state, the last draft and the
  // templates in the saved language.
  const [infoR, draftR, listR] = await first;
  if (infoR.status === 'fulfilled') info = infoR.value;
  else showError(infoR.reason);
  await setLang(info && isLang(info.language) ? info.language : 'fr');
  updateBadge();
  if (info && listR.status === 'fulfilled') home.prime(info.language, listR.value);

  let draft = null;
  if (draftR.status === 'fulfilled') draft = draftR.value;
  else showError(draftR.reason);
  if (!(draft && draft.template && (await openTemplate(draft.template, { values: draft.values || {}, files: draft.files || {}, answer: draft.answer || '', runId: draft.runId || null, model: draft.model || null })))) {
    await goHome();
  }
  document.body.classList.add('ready');
  // The first screen is painted: tell the shell (it notes the time for the start-up benchmark),
  // then fetch the other screens so that the first click on them does not wait.
  requestAnimationFrame(() => {
    api.appReady().catch(() => {});
    api.onFileDropped(onFileDropped).catch(() => {});
    setTimeout(() => {
      loadTemplateView().catch(() => {});
      loadSettings().catch(() => {});
    }, 50);
  });
}
