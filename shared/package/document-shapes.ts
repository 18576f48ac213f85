// Shape checks for the JSON documents of an untrusted package. Hand-written rather than zod because decisions.json
// holds one object per review item: zod takes about half a second for 100,000 items, this takes a few milliseconds.
export type Shape =
  | 'string'
  | 'number'
  | 'boolean'
  | 'instant'
  | 'any'
  | { oneOf: readonly (string | number)[] }
  | { nullable: Shape }
  | { optional: Shape }
  | { array: Shape }
  /** An object with exactly these keys (`open`: other keys are allowed too). */
  | { object: Readonly<Record<string, Shape>>; open?: boolean };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The first way `value` departs from `shape`, as "path: what was expected", or null. */
export function shapeProblem(value: unknown, shape: Shape, path: string): string | null {
  if (typeof shape === 'string') return primitiveProblem(value, shape, path);
  if ('oneOf' in shape) return shape.oneOf.includes(value as string | number) ? null : `${path}: expected one of ${shape.oneOf.join(', ')}, found ${describe(value)}`;
  if ('nullable' in shape) return value === null ? null : shapeProblem(value, shape.nullable, path);
  if ('optional' in shape) return value === undefined ? null : shapeProblem(value, shape.optional, path);
  if ('array' in shape) {
    if (!Array.isArray(value)) return `${path}: expected an array, found ${describe(value)}`;
    for (let i = 0; i < value.length; i++) {
      const problem = shapeProblem(value[i], shape.array, `${path}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${path}: expected an object, found ${describe(value)}`;
  const record = value as Record<string, unknown>;
  for (const key in shape.object) {
    const problem = shapeProblem(record[key], shape.object[key]!, `${path}.${key}`);
    if (problem) return problem;
  }
  if (!shape.open) for (const key of Object.keys(record)) if (!(key in shape.object)) return `${path}: unexpected field "${key}"`;
  return null;
}

function primitiveProblem(value: unknown, shape: 'string' | 'number' | 'boolean' | 'instant' | 'any', path: string): string | null {
  switch (shape) {
    case 'any':
      return null;
    case 'instant':
      return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? null : `${path}: expected an ISO 8601 date-time, found ${describe(value)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `${path}: expected a number, found ${describe(value)}`;
    default:
      return typeof value === shape ? null : `${path}: expected a ${shape}, found ${describe(value)}`;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : String(value);
}
