// The UI's languages: German has exactly English's keys, none empty, the same placeholders and markup, and is
// actually translated (a value equal to English must be on the allowlist); the language is chosen as documented
// (stored choice, else a supported system language, else English); and the lint rule that keeps UI strings in
// the resources really flags literal strings in renderer JSX.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/locales/en';
import { de } from '../../renderer/i18n/locales/de';
import { detectLanguage } from '../../renderer/i18n';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const EN = flatten(en as unknown as Tree);
const DE = flatten(de as unknown as Tree);

/**
 * German values that may equal English: names, acronyms, loanwords German IAM products use as they are, and
 * strings made only of placeholders or symbols. Anything else identical to English is an untranslated string.
 */
const SAME_AS_ENGLISH = new Set([
  'common.dash',
  'shell.productName', // the product's name
  'shell.offline', // "offline" is German too
  'shell.screens.import',
  'shell.screens.export',
  'shell.unlock.passphrase',
  'settings.profile.passphrase',
  'settings.profile.fullNamePlaceholder', // a sample name
  'settings.profile.emailPlaceholder', // a sample address
  'settings.profiles.name',
  'campaigns.name',
  'campaigns.snapshot',
  'campaigns.col.name',
  'campaigns.col.status',
  'import.col.name',
  'import.ident.status',
  'import.mapping.col.status',
  'import.field.login',
  'import.ambiguity.field.name',
  'import.ambiguity.field.login',
  'import.ambiguity.field.status',
  'review.signIn.mfa',
  'export.seconds', // "{{value}} s": the SI unit
]);

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const tags = (s: string) => [...s.matchAll(/<\/?(\w+)>/g)].map((m) => m[0]).sort();
/** i18next plural forms: a key with _one/_other is one entry for the comparison of placeholders. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('UI translations', () => {
  it('has a few hundred English strings (the resources are the UI, not a stub)', () => {
    expect(EN.size).toBeGreaterThan(400);
  });

  it('German has every key English has, and no other', () => {
    const missing = [...EN.keys()].filter((k) => !DE.has(k));
    const extra = [...DE.keys()].filter((k) => !EN.has(k));
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
  });

  it('no value is empty or only blanks, in either language', () => {
    for (const [name, table] of [
      ['en', EN],
      ['de', DE],
    ] as const) {
      const empty = [...table].filter(([, v]) => v.trim() === '').map(([k]) => `${name}:${k}`);
      expect(empty).toEqual([]);
    }
  });

  it('German keeps the placeholders and the markup of each English string', () => {
    const wrong: string[] = [];
    for (const [k, v] of EN) {
      const g = DE.get(k) ?? '';
      // A German plural form may drop {{count}} ("Diesen Schlüssel hinterlegen"); every other placeholder stays.
      const want = placeholders(v).filter((p) => !(p === 'count' && base(k) !== k));
      const have = placeholders(g);
      if (want.some((p) => !have.includes(p)) || have.some((p) => !placeholders(v).includes(p)))
        wrong.push(`${k}: ${JSON.stringify(want)} vs ${JSON.stringify(have)}`);
      if (JSON.stringify(tags(v)) !== JSON.stringify(tags(g))) wrong.push(`${k}: markup ${tags(v).join('')} vs ${tags(g).join('')}`);
    }
    expect(wrong).toEqual([]);
  });

  it('German is translated: a value equal to English is on the allowlist', () => {
    const untranslated = [...EN]
      .filter(([k, v]) => DE.get(k) === v && !SAME_AS_ENGLISH.has(k))
      .map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
    expect(untranslated).toEqual([]);
  });

  it('the allowlist holds only keys whose German really equals English (a stale entry would hide a future gap)', () => {
    expect([...SAME_AS_ENGLISH].filter((k) => !EN.has(k) || DE.get(k) !== EN.get(k))).toEqual([]);
  });
});

describe('UI language', () => {
  it('a stored choice wins over the system language', () => {
    expect(detectLanguage('de', ['en-US'])).toBe('de');
    expect(detectLanguage('en', ['de-DE'])).toBe('en');
  });

  it('without a choice, the first supported system language (any region), else English', () => {
    expect(detectLanguage(null, ['de-AT', 'en-US'])).toBe('de');
    expect(detectLanguage(null, ['fr-FR', 'de-CH'])).toBe('de');
    expect(detectLanguage(null, ['fr-FR', 'it'])).toBe('en');
    expect(detectLanguage(null, ['en-US'])).toBe('en');
    expect(detectLanguage(null, [])).toBe('en');
  });

  it('an unknown stored value is ignored', () => {
    expect(detectLanguage('xx', ['de-DE'])).toBe('de');
  });
});

describe('lint: UI strings go through t()', () => {
  it('flags JSX text and read-out attributes written as literals in renderer/, and accepts t() and data attributes', async () => {
    const eslint = new ESLint();
    const probe = [
      "import { useTranslation } from '../../i18n';",
      'export function Probe() {',
      '  const { t } = useTranslation();',
      '  return (',
      '    <div data-testid="probe-box" className="x">',
      '      <button aria-label="Close the panel">{t(\'common.close\')}</button>',
      '      <input placeholder="type here" title={t(\'common.cancel\')} />',
      '      <p>Nothing to review</p>',
      '    </div>',
      '  );',
      '}',
      '',
    ].join('\n');
    const [result] = await eslint.lintText(probe, { filePath: 'renderer/features/review/Probe.tsx' });
    const flagged = result!.messages
      .filter((m) => m.ruleId === 'i18next/no-literal-string')
      .map((m) => probe.split('\n')[m.line - 1]!.trim());
    expect(flagged).toHaveLength(3);
    expect(flagged.some((l) => l.includes('aria-label="Close the panel"'))).toBe(true);
    expect(flagged.some((l) => l.includes('placeholder="type here"'))).toBe(true);
    expect(flagged.some((l) => l.includes('Nothing to review'))).toBe(true);
  });
});
