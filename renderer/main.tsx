import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { App } from './app';

// The app runs under a strict CSP without 'unsafe-eval': zod must not probe for eval.
z.config({ jitless: true });

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(<App />);
