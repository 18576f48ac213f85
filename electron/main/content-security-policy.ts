// The Content Security Policy and companion headers sent with every response of the app protocol.
// 'self' is app://bundle. No remote origin appears anywhere; no 'unsafe-eval'. 'wasm-unsafe-eval' lets the import
// worker compile WebAssembly (SQLite via sql.js, for Baton .c1z files) and nothing else: JavaScript eval stays blocked.
// style-src needs 'unsafe-inline' because the component library sets inline style attributes and
// injects its CSS variables in a <style> element; scripts stay strictly 'self'.
// worker-src allows blob: because Vite may emit module workers as blob URLs.

const directives: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'none'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self' data:"],
  ['connect-src', "'self' blob: data:"],
  ['worker-src', "'self' blob:"],
  ['manifest-src', "'self'"],
  ['media-src', "'none'"],
  ['frame-src', "'none'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

export const CONTENT_SECURITY_POLICY = directives.map(([name, value]) => `${name} ${value}`).join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};
