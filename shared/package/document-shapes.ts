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

/** What the 'instant' shape accepts: an ISO 8601 date-time with a zone, that is a real date. */
export function isInstant(v: unknown): v is string {
  return typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v));
}

/** The first way `value` departs from `shape`, as "path: what was expected", or null. */
export function shapeProblem(value: unknown, shape: Shape, path: string): string | null {
  const failure = compiled(shape)(value);
  return failure ? `${path}${failure.path.reverse().join('')}: ${failure.expected}` : null;
}

/** A failure; its path is collected in reverse while unwinding, so a value that fits allocates nothing. */
interface Failure {
  path: string[];
  expected: string;
}

type Checker = (value: unknown) => Failure | null;

// Each shape is compiled once into small closures (monomorphic for V8: a few times faster than interpreting it).
const compiledShapes = new WeakMap<object, Checker>();
const primitiveCheckers = new Map<string, Checker>();

function compiled(shape: Shape): Checker {
  if (typeof shape === 'string') {
    let checker = primitiveCheckers.get(shape);
    if (!checker) primitiveCheckers.set(shape, (checker = primitiveChecker(shape)));
    return checker;
  }
  let checker = compiledShapes.get(shape);
  if (!checker) compiledShapes.set(shape, (checker = compile(shape)));
  return checker;
}

function compile(shape: Exclude<Shape, string>): Checker {
  if ('oneOf' in shape) {
    const allowed = new Set<unknown>(shape.oneOf);
    const expected = `expected one of ${shape.oneOf.join(', ')}`;
    return (v) => (allowed.has(v) ? null : fail(`${expected}, found ${describe(v)}`));
  }
  if ('nullable' in shape) {
    const inner = compiled(shape.nullable);
    return (v) => (v === null ? null : inner(v));
  }
  if ('optional' in shape) {
    const inner = compiled(shape.optional);
    return (v) => (v === undefined ? null : inner(v));
  }
  if ('array' in shape) {
    const inner = compiled(shape.array);
    return (v) => {
      if (!Array.isArray(v)) return fail(`expected an array, found ${describe(v)}`);
      for (let i = 0; i < v.length; i++) {
        const failure = inner(v[i]);
        if (failure) return within(failure, `[${i}]`);
      }
      return null;
    };
  }
  const keys = Object.keys(shape.object);
  const checkers = keys.map((k) => compiled(shape.object[k]!));
  const known = new Set(keys);
  const open = shape.open === true;
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(`expected an object, found ${describe(v)}`);
    const record = v as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) {
      const failure = checkers[i]!(record[keys[i]!]);
      if (failure) return within(failure, `.${keys[i]}`);
    }
    if (!open) for (const key in record) if (!known.has(key)) return fail(`unexpected field "${key}"`);
    return null;
  };
}

function fail(expected: string): Failure {
  return { path: [], expected };
}

function within(failure: Failure, segment: string): Failure {
  failure.path.push(segment);
  return failure;
}

function primitiveChecker(shape: 'string' | 'number' | 'boolean' | 'instant' | 'any'): Checker {
  switch (shape) {
    case 'any':
      return () => null;
    case 'instant':
      return (v) => (isInstant(v) ? null : fail(`expected an ISO 8601 date-time, found ${describe(v)}`));
    case 'number':
      return (v) => (typeof v === 'number' && Number.isFinite(v) ? null : fail(`expected a number, found ${describe(v)}`));
    case 'string':
      return (v) => (typeof v === 'string' ? null : fail(`expected a string, found ${describe(v)}`));
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? null : fail(`expected a boolean, found ${describe(v)}`));
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === 'object' ? 'an object' : String(value);
}
