import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { startUrlSync } from './url-state.ts';

// The view lives in the URL: restored from it before the first render (so no panel asks about the
// default view first), then written to it on every change.
startUrlSync();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
