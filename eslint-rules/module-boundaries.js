// Folder surfaces and the layering of shared/, checked on every relative import (ARCHITECTURE.md, "Layout"); the
// UI's folders reach the data only through renderer/backend (no renderer/db, no Dexie); and only the backend worker
// opens the database: no other folder imports renderer/db or Dexie, save for renderer/db's types.
// A folder's files are reached from outside it only through its index.ts; inside shared/ a folder imports only the
// folders below it. Folders: shared/<x>, electron/<x>, renderer/<x>, and each renderer/features/<x>.
import path from 'node:path';

const ROOT = path.dirname(path.dirname(new URL(import.meta.url).pathname));

/** The layers of shared/, lowest first; a folder may import only folders of a lower layer. */
export const SHARED_LAYERS = {
  codec: 0,
  model: 1,
  rpc: 2,
  contracts: 2,
  suggest: 2,
  review: 3,
  import: 4,
  package: 4,
  exchange: 5,
};
/** Folders that no other folder of shared/ may import (the shells meet through them). */
const SHARED_LEAVES = new Set(['contracts']);

const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;

/** The folder a repository path belongs to, or null outside the checked trees (test/, scripts/, node_modules). */
export function folderOf(relative) {
  const parts = relative.split('/');
  if (!['shared', 'renderer', 'electron'].includes(parts[0]) || parts.length < 3) return null;
  if (parts[0] === 'renderer' && parts[1] === 'features') return parts.length < 4 ? null : parts.slice(0, 3).join('/');
  return parts.slice(0, 2).join('/');
}

function resolved(fromFile, specifier) {
  const clean = specifier.replace(/\?.*$/, '');
  const ext = path.extname(clean);
  if (ext && !SOURCE.test(clean)) return null; // stylesheets and other assets
  const target = path
    .relative(ROOT, path.resolve(path.dirname(fromFile), clean))
    .split(path.sep)
    .join('/');
  return target.replace(SOURCE, '');
}

/** The UI's folders: they send commands to the backend worker and read its queries, never a table. */
const UI = /^renderer\/(app|components|session|features)(\/|$)/;
const DATA_PACKAGES = /^dexie(-react-hooks)?(\/|$)/;
/** The folders that may open the database: the backend worker, and renderer/db, which it imports. */
const DATA_OWNERS = new Set(['renderer/backend', 'renderer/db']);

/** `typeOnly`: an `import type` (the UI may not even name the tables; other threads may name renderer/db's types). */
export function boundaryProblem(fromRelative, specifier, typeOnly = false) {
  const from = folderOf(fromRelative);
  const ui = from !== null && UI.test(from);
  const owner = from === null || DATA_OWNERS.has(from);
  if (!specifier.startsWith('.')) {
    if (!DATA_PACKAGES.test(specifier)) return null;
    if (ui) return { messageId: 'data', data: { specifier } };
    return owner || typeOnly ? null : { messageId: 'owner', data: { folder: from, specifier } };
  }
  const target = resolved(path.join(ROOT, fromRelative), specifier);
  if (target === null) return null;
  const to = folderOf(`${target}.ts`) ?? folderOf(`${target}/index.ts`);
  if (to === null || to === from) return null;
  if (ui && to === 'renderer/db') return { messageId: 'data', data: { specifier } };
  if (!owner && !typeOnly && to === 'renderer/db') return { messageId: 'owner', data: { folder: from, specifier } };
  if (target !== to && target !== `${to}/index`) return { messageId: 'deep', data: { folder: to, specifier } };
  if (from?.startsWith('shared/') && to.startsWith('shared/')) {
    const a = from.slice(7);
    const b = to.slice(7);
    if (SHARED_LEAVES.has(b) || !(b in SHARED_LAYERS) || !(a in SHARED_LAYERS) || SHARED_LAYERS[b] >= SHARED_LAYERS[a]) {
      return { messageId: 'layer', data: { from, to } };
    }
  }
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Import other folders through their index.ts, and only the layers below in shared/.' },
    messages: {
      deep: 'Import {{folder}} through its index.ts, not "{{specifier}}" (a folder\'s index.ts is its public surface).',
      data: 'The UI must not import "{{specifier}}": send a command or read a query of the backend worker (renderer/backend), which owns the database.',
      owner:
        '{{folder}} must not import "{{specifier}}": only the backend worker (renderer/backend) opens the database; hand this thread the data it needs (types may be imported with "import type").',
      layer:
        '{{from}} must not import {{to}}: shared/ is layered codec → model → suggest → review → import/package → exchange (contracts stands apart).',
    },
    schema: [],
  },
  create(context) {
    const relative = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const check = (node, typeOnly = false) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const problem = boundaryProblem(relative, node.value, typeOnly);
      if (problem) context.report({ node, ...problem });
    };
    /** Every name of the declaration is a type (`import type {…}`, or `import { type A, type B }`). */
    const onlyTypes = (node) =>
      node.importKind === 'type' ||
      node.exportKind === 'type' ||
      (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
    return {
      ImportDeclaration: (node) => check(node.source, onlyTypes(node)),
      ExportAllDeclaration: (node) => check(node.source, node.exportKind === 'type'),
      ExportNamedDeclaration: (node) => check(node.source, onlyTypes(node)),
      ImportExpression: (node) => check(node.source),
    };
  },
};

export default { rules: { 'module-boundaries': rule } };
