// Lint, and the dependency table of ARCHITECTURE.md enforced as import zones.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import i18next from 'eslint-plugin-i18next';
import boundaries from './eslint-rules/module-boundaries.js';

const node = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'stream',
  'url',
  'worker_threads',
  'zlib',
  'util',
  'buffer',
  'http',
  'https',
  'net',
];
const nodePatterns = node.map((n) => ({
  group: [n, `${n}/*`],
  message: 'Node built-ins are not allowed here (see ARCHITECTURE.md, dependency table).',
}));
const electronPattern = {
  group: ['electron', 'electron/*'],
  message: 'The electron package is only for electron/main and electron/preload.',
};
const dexiePattern = { group: ['dexie', 'dexie-*', 'fake-indexeddb', 'fake-indexeddb/*'], message: 'Dexie is only for renderer/db.' };
const reactPattern = { group: ['react', 'react-dom', 'react/*', 'react-dom/*', '@mantine/*'], message: 'React belongs to renderer/ only.' };
const rendererPattern = {
  group: ['**/renderer/**', '**/renderer'],
  message: 'renderer/ and electron/ meet only through shared/contracts.',
};
const electronDirPattern = {
  group: ['**/electron/**', '**/electron/main/**'],
  message: 'renderer/ and electron/ meet only through shared/contracts.',
};
const testPattern = { group: ['**/test/**'], message: 'Nothing imports test/.' };

const zone = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'dist-electron',
      'dist-cli',
      'release',
      '.tsbuild',
      'test-results',
      'playwright-report',
      'bench-results',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  zone(
    ['shared/**/*.ts'],
    [...nodePatterns, electronPattern, dexiePattern, reactPattern, rendererPattern, electronDirPattern, testPattern],
  ),
  zone(['renderer/**/*.{ts,tsx}'], [...nodePatterns, electronPattern, electronDirPattern, testPattern]),
  zone(
    ['renderer/app/**', 'renderer/features/**', 'renderer/components/**', 'renderer/workers/**', 'renderer/host/**'],
    [...nodePatterns, electronPattern, electronDirPattern, testPattern, dexiePattern],
  ),
  zone(['electron/main/**/*.ts', 'electron/cli/**/*.ts'], [rendererPattern, testPattern, dexiePattern, reactPattern]),
  zone(['electron/cli/**/*.ts'], [rendererPattern, testPattern, dexiePattern, reactPattern, electronPattern]),
  zone(['electron/preload/**/*.ts'], [...nodePatterns, rendererPattern, testPattern, dexiePattern, reactPattern]),
  {
    files: ['shared/**/*.ts', 'renderer/**/*.{ts,tsx}', 'electron/**/*.ts'],
    plugins: { local: boundaries },
    rules: { 'local/module-boundaries': 'error' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    files: ['electron/**/*.ts', 'scripts/**', 'test/**', 'bin/**', 'eslint-rules/**', '*.js', '*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } } },
  // Every UI string goes through i18next (docs/i18n.md): JSX text and the attributes people read or hear.
  {
    files: ['renderer/**/*.tsx'],
    plugins: { i18next },
    rules: {
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          // Key caps name keys, not words.
          'jsx-components': { exclude: ['Trans', 'Kbd', 'kbd'] },
          callees: { exclude: ['i18n(ext)?', 't', 'tr', 'replace', 'join', 'startsWith', 'endsWith', 'includes'] },
          'object-properties': { exclude: ['position', 'contain'] },
          'jsx-attributes': {
            include: [
              'title',
              'aria-label',
              'placeholder',
              'label',
              'description',
              'alt',
              'error',
              'emptyText',
              'submitLabel',
              'validText',
              'invalidText',
            ],
          },
          // Symbols, separators and product-neutral marks are not words to translate.
          words: { exclude: ['[0-9!-/:-@[-`{-~]+', '[A-Z_-]+', '^[\\s—–…·●✓✗✎→⚠“”„‘’+/|()\\[\\]#%<>-]*$', 'SHA-256', 'MFA'] },
        },
      ],
    },
  },
);
