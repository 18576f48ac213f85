// Byte codecs with no domain knowledge: ZIP write/read, deflate and gzip, CRC-32, SHA-256 and encodings, CSV and
// XLSX writing. Everything above shared/codec builds on these; this folder imports nothing of shared/.
export * from './types';
export * from './digest';
export * from './utf8-lines';
export * from './crc32';
export * from './runtime-primitives';
export * from './deflate-codec';
export * from './gzip-member';
export * from './archive-writer';
export * from './random-access-source';
export * from './archive-reader';
export * from './short-sha256';
export * from './file-digest';
export * from './event-loop-pacer';
export * from './formula-safety';
export * from './table-cells';
export * from './sheet-xml-writer';
export * from './csv-writer';
export * from './xlsx-writer';
export { StringDictionary } from './string-dictionary';
