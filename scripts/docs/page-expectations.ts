// What a rendered vendor page must show, derived from its (bundled) spec alone: for each operation its label,
// its parameters, the fields of its request body and one value from each of its examples. The browser test
// checks these texts, so a spec change is tested without editing the test, and a sixth vendor is covered
// the moment its spec exists.
import { isObject, operationsOf, resolve } from './token-set-extension.mjs';

export interface ExampleExpectation {
  /** The example's summary, when it has one: Redoc's example picker shows it when there is a choice. */
  summary: string | undefined;
  /** How many examples the media type has (Redoc shows a picker only for more than one). */
  choices: number;
  /** A value from the example that the rendered sample must show. */
  value: string;
}

export interface OperationExpectation {
  /** The side-menu group the operation is under (its first tag), if any. */
  tag: string | undefined;
  /** The operation's title in Redoc: its summary, else its operationId. */
  label: string;
  method: string;
  path: string;
  operationId: string | undefined;
  /** Query, path, header and cookie parameters. */
  parameters: { name: string; in: string; example: string | undefined }[];
  /** The properties of the request body (of its first variant when it is a oneOf/anyOf), as first shown. */
  bodyFields: string[];
  /** The first example of the request body, as Redoc's request sample shows it first. */
  requestExample: ExampleExpectation | undefined;
  /** For each response with an example: its status and first example. */
  responseExamples: { status: string; example: ExampleExpectation }[];
}

export function pageExpectations(spec: unknown): OperationExpectation[] {
  const doc = spec as { paths: Record<string, Record<string, unknown>> };
  return operationsOf(spec).map((op) => {
    const pathItem = resolve(spec, doc.paths[op.path]);
    const operation = resolve(spec, pathItem[op.method]);
    const parameters = [...(Array.isArray(pathItem.parameters) ? pathItem.parameters : []), ...(Array.isArray(operation.parameters) ? operation.parameters : [])]
      .map((parameter: unknown) => resolve(spec, parameter))
      .filter((parameter) => isObject(parameter) && typeof parameter.name === 'string')
      .map((parameter) => ({ name: parameter.name as string, in: String(parameter.in), example: parameterExample(spec, parameter) }));

    let bodyFields: string[] = [];
    let requestExample: ExampleExpectation | undefined;
    const body = resolve(spec, operation.requestBody);
    const [bodyType, bodyMedia] = firstMedia(spec, body?.content);
    if (bodyMedia) {
      bodyFields = firstVariantProperties(spec, bodyMedia.schema);
      requestExample = firstExample(spec, bodyMedia, /form/i.test(bodyType ?? ''));
    }

    const responseExamples: OperationExpectation['responseExamples'] = [];
    for (const [status, response] of Object.entries(isObject(operation.responses) ? operation.responses : {})) {
      const [, media] = firstMedia(spec, resolve(spec, response)?.content);
      const example = media ? firstExample(spec, media, false) : undefined;
      if (example) responseExamples.push({ status, example });
    }
    return {
      tag: op.tags[0],
      label: op.summary ?? op.operationId ?? `${op.method.toUpperCase()} ${op.path}`,
      method: op.method,
      path: op.path,
      operationId: op.operationId,
      parameters,
      bodyFields,
      requestExample,
      responseExamples,
    };
  });
}

function firstMedia(spec: unknown, content: unknown): [string | undefined, Record<string, unknown> | undefined] {
  if (!isObject(content)) return [undefined, undefined];
  for (const [type, media] of Object.entries(content)) {
    const resolved = resolve(spec, media);
    if (isObject(resolved)) return [type, resolved];
  }
  return [undefined, undefined];
}

function parameterExample(spec: unknown, parameter: Record<string, unknown>): string | undefined {
  if (parameter.example !== undefined) return scalarText(parameter.example);
  if (isObject(parameter.examples)) {
    const first = resolve(spec, Object.values(parameter.examples)[0]);
    if (isObject(first) && first.value !== undefined) return scalarText(first.value);
  }
  const schema = resolve(spec, parameter.schema);
  if (isObject(schema)) {
    if (schema.example !== undefined) return scalarText(schema.example);
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return scalarText(schema.examples[0]);
  }
  return undefined;
}

function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** The first explicit example of a media type (`example`, else the first of `examples`). */
function firstExample(spec: unknown, media: Record<string, unknown>, urlEncoded: boolean): ExampleExpectation | undefined {
  if (media.example !== undefined) return valueOf(media.example, undefined, 1, urlEncoded);
  if (!isObject(media.examples)) return undefined;
  const all = Object.values(media.examples);
  const first = resolve(spec, all[0]);
  if (!isObject(first) || first.value === undefined) return undefined;
  return valueOf(first.value, typeof first.summary === 'string' ? first.summary : undefined, all.length, urlEncoded);
}

function valueOf(example: unknown, summary: string | undefined, choices: number, urlEncoded: boolean): ExampleExpectation | undefined {
  const value = distinctiveLeaf(example, urlEncoded);
  return value === undefined ? undefined : { summary, choices, value };
}

/**
 * A value of the example that identifies it on the page: the shallowest string of 4+ characters (samples
 * expand the first levels), else the shallowest number or boolean. In a form body the sample is
 * URL-encoded, so only strings that encoding leaves alone qualify.
 */
export function distinctiveLeaf(example: unknown, urlEncoded = false): string | undefined {
  if (typeof example !== 'object' || example === null) return scalarText(example);
  let level: unknown[] = [example];
  let fallback: string | undefined;
  for (let depth = 0; depth < 6 && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const node of level) {
      const children = Array.isArray(node) ? node : Object.values(node as object);
      for (const child of children) {
        if (typeof child === 'string' && child.length >= 4 && (!urlEncoded || encodeURIComponent(child) === child)) return child;
        if ((typeof child === 'number' || typeof child === 'boolean') && fallback === undefined) fallback = String(child);
        if (typeof child === 'object' && child !== null) next.push(child);
      }
    }
    level = next;
  }
  return fallback;
}

/** Property names of a schema as first rendered: a oneOf/anyOf shows its first variant; allOf merges. */
function firstVariantProperties(spec: unknown, node: unknown, seen = new Set<unknown>()): string[] {
  const schema = resolve(spec, node);
  if (!isObject(schema) || seen.has(schema)) return [];
  seen.add(schema);
  const names = new Set<string>(isObject(schema.properties) ? Object.keys(schema.properties) : []);
  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) for (const name of firstVariantProperties(spec, part, seen)) names.add(name);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const variants = schema[key];
    if (Array.isArray(variants) && variants.length > 0) for (const name of firstVariantProperties(spec, variants[0], seen)) names.add(name);
  }
  return [...names];
}
