/** The shape of a translation: every key of English, each a string (checked by tsc and by test/unit/i18n-resources). */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };
