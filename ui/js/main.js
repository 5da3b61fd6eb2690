// Katib's window starts here. The first screen's three calls (the app's state, the last draft,
// the templates in the saved language) leave as soon as this module and api.js have loaded, while
// the rest of the window's modules (app.js and what it imports, preloaded by index.html) load.

import * as api from './api.js';

const first = Promise.allSettled([api.appInfo(), api.loadDraft(), api.listTemplates(null)]);
const app = import('./app.js');

// The window stays unpainted until .ready (app.css): whatever happens, it is shown, with the
// error when start-up failed.
app
  .then((m) => m.boot(first).catch((e) => m.showStartError(e)))
  .catch((e) => console.error('Katib could not start:', e))
  .finally(() => document.body.classList.add('ready'));

/** A file dropped on the window (see app.js). */
export const onFileDropped = (payload) => app.then((m) => m.onFileDropped(payload));
