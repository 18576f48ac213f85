// The UI's languages: i18next with react-i18next. Every string the screens show comes from ./locales; numbers and
// dates are formatted with Intl in the active locale. Packages and their reports never use this (fixed en-US, UTC).
import i18next, { type ParseKeys, type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en';
import { de } from './locales/de';

export const LANGUAGES = ['en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Each language named in itself, for the picker in Settings. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch' };

/** Persisted beside Mantine's colour scheme (localStorage), read before the first render. */
export const LANGUAGE_STORAGE_KEY = 'arw-language';

export const isLanguage = (v: unknown): v is Language => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

/** The stored choice if any, else the first supported system language, else English. */
export function detectLanguage(stored: string | null, systemLanguages: readonly string[]): Language {
  if (isLanguage(stored)) return stored;
  for (const tag of systemLanguages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLanguage(primary)) return primary;
  }
  return 'en';
}

function readStored(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
}

const systemLanguages = (): readonly string[] =>
  typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language];

export const i18n: I18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, de: { translation: de } },
  lng: detectLanguage(readStored(), systemLanguages()),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
if (typeof document !== 'undefined') {
  document.documentElement.lang = i18n.language;
  i18n.on('languageChanged', (lng) => (document.documentElement.lang = lng));
}

export const currentLanguage = (): Language => (isLanguage(i18n.language) ? i18n.language : 'en');

export async function setLanguage(lng: Language): Promise<void> {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, lng);
  } catch {
    // Private mode: the choice lasts for this window only.
  }
  await i18n.changeLanguage(lng);
}

/** The formatting locale: the system's own variant when it is of the UI language (en-GB dates for en-GB), else the language. */
export function formatLocale(): string {
  const lng = currentLanguage();
  return systemLanguages().find((tag) => tag.toLowerCase().split('-')[0] === lng) ?? lng;
}

export { useTranslation, Trans } from 'react-i18next';
export { en as EN_RESOURCES } from './locales/en';
export { de as DE_RESOURCES } from './locales/de';

declare module 'i18next' {
  interface CustomTypeOptions {
    resources: { translation: typeof en };
    returnNull: false;
  }
}

/** A key of the English resources, for tables of keys rendered later through t(). */
export type TranslationKey = ParseKeys;
