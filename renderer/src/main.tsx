import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { hasBridge } from './lib/hoody.js';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    {hasBridge() ? (
      <App />
    ) : (
      <main className="fatal" role="alert">
        <h1>Hoody Vault cannot start here</h1>
        <p>This page was opened without the app around it. Start the app with <code>npm start</code> and use the window it opens.</p>
      </main>
    )}
  </StrictMode>,
);
