/**
 * A minimal valid instance of a JSON Schema (the subset tools' `inputSchema` and elicitations'
 * `requestedSchema` use): required properties only, and for each value its `default`, `const`,
 * first `enum` or `examples` entry, else the smallest value of its type within its bounds. Used to
 * call a server's own tools (discovery mode) and to answer its elicitations.
 */

/** A JSON Schema object, as far as this module reads it. */
type Schema = Record<string, unknown>;

/** The schema has a part no instance can be made for (an unresolved `$ref`, `not`, a `pattern`…). */
export class NoInstanceError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path || '(root)'}: ${reason}`);
    this.name = 'NoInstanceError';
  }
}

/** Options of {@link minimalInstance}. */
export interface InstanceOptions {
  /** The value booleans without a default take (default `false`; elicitation answers use `true`). */
  booleans?: boolean;
  /** Text for free-form strings (default `conformance`). */
  text?: string;
}

const FORMAT_SAMPLES: Record<string, string> = {
  email: 'conformance@example.com',
  uri: 'https://example.com/conformance',
  url: 'https://example.com/conformance',
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  uuid: '00000000-0000-4000-8000-000000000000',
  hostname: 'example.com',
  ipv4: '127.0.0.1',
};

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resolveRef(root: Schema, ref: string, path: string): Schema {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) throw new NoInstanceError(path, `$ref ${ref} is not local`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = isSchema(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  if (!isSchema(node)) throw new NoInstanceError(path, `$ref ${ref} does not resolve`);
  return node;
}

function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return (type.find((t) => t !== 'null') ?? type[0]) as string | undefined;
  if (typeof type === 'string') return type;
  if (isSchema(schema.properties) || Array.isArray(schema.required)) return 'object';
  if (isSchema(schema.items)) return 'array';
  return undefined;
}

function numberIn(schema: Schema, integer: boolean): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const exclusive = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const max = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  let value = min ?? (exclusive !== undefined ? exclusive + (integer ? 1 : 0.5) : max !== undefined && max < 0 ? max : 0);
  if (integer) value = Math.ceil(value);
  const step = typeof schema.multipleOf === 'number' && schema.multipleOf > 0 ? schema.multipleOf : undefined;
  if (step !== undefined) value = Math.ceil(value / step) * step;
  return value;
}

function stringIn(schema: Schema, path: string, options: InstanceOptions): string {
  const format = typeof schema.format === 'string' ? schema.format : undefined;
  if (format !== undefined) {
    const sample = FORMAT_SAMPLES[format];
    if (sample === undefined) throw new NoInstanceError(path, `string format ${format} is not known`);
    return sample;
  }
  if (typeof schema.pattern === 'string') throw new NoInstanceError(path, `string pattern ${schema.pattern} cannot be satisfied blindly`);
  let text = options.text ?? 'conformance';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  while (text.length < min) text += text;
  if (max !== undefined) text = text.slice(0, max);
  return text;
}

function instance(root: Schema, schema: Schema, path: string, options: InstanceOptions, depth: number): unknown {
  if (depth > 20) throw new NoInstanceError(path, 'the schema nests too deep (recursive?)');
  if (typeof schema.$ref === 'string') return instance(root, resolveRef(root, schema.$ref, path), path, options, depth + 1);
  if ('default' in schema) return schema.default;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if ('not' in schema) throw new NoInstanceError(path, '`not` is not supported');
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = schema[key];
    if (!Array.isArray(branches)) continue;
    // String choices written as oneOf/anyOf of consts (elicitation's titled enums) take the first.
    let last: unknown;
    for (const branch of branches) {
      if (!isSchema(branch)) continue;
      try {
        return instance(root, { ...withoutKey(schema, key), ...branch }, path, options, depth + 1);
      } catch (error) {
        last = error;
      }
    }
    throw last instanceof NoInstanceError ? last : new NoInstanceError(path, `no branch of ${key} can be instantiated`);
  }
  if (Array.isArray(schema.allOf)) {
    let merged: Schema = withoutKey(schema, 'allOf');
    for (const part of schema.allOf) {
      if (!isSchema(part)) continue;
      const resolved = typeof part.$ref === 'string' ? resolveRef(root, part.$ref, path) : part;
      merged = mergeSchemas(merged, resolved);
    }
    return instance(root, merged, path, options, depth + 1);
  }
  switch (typeOf(schema)) {
    case 'object':
      return objectIn(root, schema, path, options, depth);
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const items = isSchema(schema.items) ? schema.items : {};
      return Array.from({ length: min }, (_, i) => instance(root, items, `${path}[${i}]`, options, depth + 1));
    }
    case 'string':
      return stringIn(schema, path, options);
    case 'integer':
      return numberIn(schema, true);
    case 'number':
      return numberIn(schema, false);
    case 'boolean':
      return options.booleans ?? false;
    case 'null':
      return null;
    default:
      // No type: anything is valid; a string is the least surprising value.
      return options.text ?? 'conformance';
  }
}

function objectIn(root: Schema, schema: Schema, path: string, options: InstanceOptions, depth: number): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]).filter((k): k is string => typeof k === 'string') : [];
  const out: Record<string, unknown> = {};
  for (const key of required) {
    const property = properties[key];
    out[key] = instance(root, isSchema(property) ? property : {}, path ? `${path}.${key}` : key, options, depth + 1);
  }
  return out;
}

function withoutKey(schema: Schema, key: string): Schema {
  const { [key]: _dropped, ...rest } = schema;
  return rest;
}

function mergeSchemas(a: Schema, b: Schema): Schema {
  const merged: Schema = { ...a, ...b };
  if (isSchema(a.properties) || isSchema(b.properties)) merged.properties = { ...(a.properties as Schema), ...(b.properties as Schema) };
  if (Array.isArray(a.required) || Array.isArray(b.required)) {
    merged.required = [...new Set([...((a.required as unknown[]) ?? []), ...((b.required as unknown[]) ?? [])])];
  }
  return merged;
}

/**
 * A minimal valid instance of `schema`. Throws {@link NoInstanceError}, naming the property, when
 * the schema asks for something that cannot be made without knowing the tool (a `pattern`, an
 * unknown `format`, a remote `$ref`, `not`).
 */
export function minimalInstance(schema: unknown, options: InstanceOptions = {}): unknown {
  if (!isSchema(schema)) return {};
  return instance(schema, schema, '', options, 0);
}

/**
 * The property a call's distinguishing text goes into: the first required string property with no
 * default, enum, const, format or pattern (e.g. `topic`, `message`), or undefined when there is none.
 */
export function textProperty(schema: unknown): string | undefined {
  if (!isSchema(schema) || !isSchema(schema.properties) || !Array.isArray(schema.required)) return undefined;
  const properties = schema.properties;
  return (schema.required as unknown[]).find((key): key is string => {
    if (typeof key !== 'string') return false;
    const p = properties[key];
    return (
      isSchema(p) &&
      p.type === 'string' &&
      !('default' in p) &&
      !('const' in p) &&
      !('enum' in p) &&
      !('format' in p) &&
      !('pattern' in p) &&
      !(typeof p.maxLength === 'number' && p.maxLength < 40)
    );
  });
}
