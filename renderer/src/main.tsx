import { StrictMode } from 'react';
import { setNonce } from 'get-nonce';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { hasBridge } from './lib/hoody.js';
import './styles.css';

// The page's style nonce (in its CSP): Radix's scroll lock inserts a <style> element with it.
const styleNonce = document.querySelector<HTMLMetaElement>('meta[name="style-nonce"]')?.content;
if (styleNonce) setNonce(styleNonce);

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
