// Reads and checks `info.x-token-set`, the vendor extension in which each spec says how its vendor's answers
// map onto core's `TokenSet` and `TokenError`, which package to install and which calls it offers. Each spec
// carries its own (a sixth vendor adds its block to its own spec; there is no central list to edit).
//
// Shape (every string may use inline Markdown: `code`, **bold**, [links](url)):
//
//   info:
//     x-token-set:
//       package: '@token-clients/dushu'          # what to install
//       factory: createDushuClient               # the package's entry point
//       grants: [client_credentials]             # optional: the OAuth2 grants the client uses
//       calls:                                   # the client's methods, each with the operation it sends
//         - call: requestToken()
//           operationId: getAccessToken          # optional; must be an operationId of this spec
//           description: One token request, uncached.
//       usage: |                                 # optional: a short TypeScript example
//         const dushu = createDushuClient({ clientId, clientSecret });
//       fields:                                  # TokenSet field ← response field(s); a field left out is not set
//         accessToken: { from: value, note: … }   # `from`: a dot path into a 2xx response body (or a list);
//         expiresAt: { from: [expiresIn, expiration], note: … }   # `$` is the whole body
//         tokenType: { value: bearer, note: … }   # `value`: a constant, for a field no response field gives
//         refreshToken: { note: Not issued. }     # neither: this vendor never sets it
//       errorNote: …                             # optional: what every error of this vendor carries
//       errors:                                  # vendor answer → TokenError code (retryable follows from core)
//         - status: 401                          # optional: HTTP status(es) or class: `401`, `401, 403`, `4xx`, `any`
//           vendorCode: invalid_client           # optional: the vendor's own code
//           when: Wrong appId or appSecret.
//           code: invalid_client                 # a TokenErrorCode
//           replay: { status: 401, json: { error: invalid_client } }   # an answer that produces it: the
//                                                # conformance suite has the vendor's fake send it (optional
//                                                # `grant`, `body` + `contentType` for text, `redirect: 307`)
//
// accessToken, tokenType and expiresAt must be mapped; `raw` defaults to the whole body.

/** The name of the extension on `info`. */
export const EXTENSION = 'x-token-set';

const TOP_KEYS = new Set(['package', 'factory', 'grants', 'calls', 'usage', 'fields', 'errorNote', 'errors']);
const CALL_KEYS = new Set(['call', 'operationId', 'description']);
const FIELD_KEYS = new Set(['from', 'value', 'note']);
const ERROR_KEYS = new Set(['status', 'vendorCode', 'when', 'code', 'replay']);
const REPLAY_KEYS = new Set(['grant', 'status', 'json', 'body', 'contentType', 'redirect']);
/** TokenSet fields every mapping must give: without them there is no usable token. */
const REQUIRED_FIELDS = ['accessToken', 'tokenType', 'expiresAt'];
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * @typedef {import('./core-contract.mjs').CoreContract} CoreContract
 * @typedef {{ method: string, path: string, operationId: string | undefined, summary: string | undefined, tags: string[] }} Operation
 * @typedef {{ call: string, description: string, operationId: string | undefined, operation: Operation | undefined }} TokenSetCall
 * @typedef {{ name: string, doc: string, set: boolean, from: string[], value: string | undefined, note: string | undefined }} TokenSetFieldMapping
 * @typedef {{ status: string | undefined, vendorCode: string | undefined, when: string, code: string, retryable: boolean }} TokenErrorMapping
 * @typedef {{ package: string, factory: string, grants: string[], calls: TokenSetCall[], usage: string | undefined,
 *             fields: TokenSetFieldMapping[], errorNote: string | undefined, errors: TokenErrorMapping[] }} TokenSetMapping
 */

/** Every operation of a (bundled) OpenAPI document. @param {any} spec @returns {Operation[]} */
export function operationsOf(spec) {
  /** @type {Operation[]} */
  const operations = [];
  for (const [path, item] of Object.entries(isObject(spec?.paths) ? spec.paths : {})) {
    const pathItem = resolve(spec, item);
    if (!isObject(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = resolve(spec, pathItem[method]);
      if (!isObject(operation)) continue;
      operations.push({
        method,
        path,
        operationId: typeof operation.operationId === 'string' ? operation.operationId : undefined,
        summary: typeof operation.summary === 'string' ? operation.summary : undefined,
        tags: Array.isArray(operation.tags) ? operation.tags.filter((tag) => typeof tag === 'string') : [],
      });
    }
  }
  return operations;
}

/**
 * Reads `info.x-token-set` of a bundled spec.
 *
 * @param {any} spec the bundled OpenAPI document
 * @param {CoreContract} contract
 * @returns {{ mapping: TokenSetMapping | undefined, problems: string[] }} `mapping` is undefined when the spec
 *   has no extension (not a problem by itself: the index says so) or when it is unusable (then `problems` says why).
 */
export function readTokenSetExtension(spec, contract) {
  const raw = spec?.info?.[EXTENSION];
  if (raw === undefined) return { mapping: undefined, problems: [] };
  /** @type {string[]} */
  const problems = [];
  const problem = (/** @type {string} */ where, /** @type {string} */ what) => problems.push(`info.${EXTENSION}${where}: ${what}`);
  if (!isObject(raw)) {
    problem('', 'must be an object');
    return { mapping: undefined, problems };
  }
  unknownKeys(raw, TOP_KEYS, '', problem);

  const pkg = requiredString(raw, 'package', '', problem);
  if (pkg !== undefined && !/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/.test(pkg)) problem('.package', `"${pkg}" is not an npm package name`);
  const factory = requiredString(raw, 'factory', '', problem);
  if (factory !== undefined && !/^[A-Za-z_$][\w$]*$/.test(factory)) problem('.factory', `"${factory}" is not a function name`);
  const grants = optionalStringList(raw.grants, '.grants', problem);
  const usage = optionalString(raw, 'usage', '', problem);
  const errorNote = optionalString(raw, 'errorNote', '', problem);

  const operations = operationsOf(spec);
  /** @type {TokenSetCall[]} */
  const calls = [];
  if (!Array.isArray(raw.calls) || raw.calls.length === 0) problem('.calls', 'must be a non-empty list of { call, description, operationId? }');
  else {
    raw.calls.forEach((/** @type {unknown} */ entry, /** @type {number} */ index) => {
      const where = `.calls[${index}]`;
      if (!isObject(entry)) return problem(where, 'must be an object');
      unknownKeys(entry, CALL_KEYS, where, problem);
      const call = requiredString(entry, 'call', where, problem);
      const description = requiredString(entry, 'description', where, problem);
      const operationId = optionalString(entry, 'operationId', where, problem);
      const operation = operationId === undefined ? undefined : operations.find((op) => op.operationId === operationId);
      if (operationId !== undefined && operation === undefined) {
        problem(`${where}.operationId`, `"${operationId}" is not an operationId of this spec (${operations.map((op) => op.operationId).filter(Boolean).join(', ') || 'none'})`);
      }
      if (call !== undefined && description !== undefined) calls.push({ call, description, operationId, operation });
    });
  }

  const responseFields = successResponseFields(spec);
  const known = new Map(contract.fields.map((field) => [field.name, field]));
  /** @type {Map<string, { from: string[], value: string | undefined, note: string | undefined }>} */
  const given = new Map();
  if (!isObject(raw.fields)) problem('.fields', 'must be an object keyed by TokenSet field');
  else {
    for (const [name, value] of Object.entries(raw.fields)) {
      const where = `.fields.${name}`;
      if (!known.has(name)) {
        problem(where, `"${name}" is not a TokenSet field (${[...known.keys()].join(', ')})`);
        continue;
      }
      if (!isObject(value)) {
        problem(where, 'must be an object { from?, value?, note? }');
        continue;
      }
      unknownKeys(value, FIELD_KEYS, where, problem);
      const from = value.from === undefined ? [] : typeof value.from === 'string' ? [value.from] : optionalStringList(value.from, `${where}.from`, problem);
      for (const path of from) {
        if (path !== '$' && !responseFields.has(path)) {
          problem(`${where}.from`, `"${path}" is not a field of any 2xx response body of this spec${responseFields.size ? ` (${[...responseFields].slice(0, 12).join(', ')}${responseFields.size > 12 ? ', …' : ''})` : ''}`);
        }
      }
      const constant = scalar(value.value, `${where}.value`, problem);
      if (constant !== undefined && from.length > 0) problem(where, 'give either `from` (response fields) or `value` (a constant), not both');
      given.set(name, { from, value: constant, note: optionalString(value, 'note', where, problem) });
    }
    for (const name of REQUIRED_FIELDS) {
      const mapping = given.get(name);
      if (known.has(name) && !(mapping?.from.length || mapping?.value !== undefined)) {
        problem(`.fields.${name}`, 'is required: say which response field it comes `from` (or its constant `value`)');
      }
    }
  }
  /** @type {TokenSetFieldMapping[]} */
  const fields = contract.fields.map((field) => {
    const mapping = given.get(field.name) ?? { from: field.name === 'raw' ? ['$'] : [], value: undefined, note: undefined };
    const set = mapping.from.length > 0 || mapping.value !== undefined;
    return { name: field.name, doc: field.doc, set, from: mapping.from, value: mapping.value, note: mapping.note };
  });

  const codes = new Map(contract.codes.map((info) => [info.code, info]));
  /** @type {TokenErrorMapping[]} */
  const errors = [];
  if (!Array.isArray(raw.errors) || raw.errors.length === 0) problem('.errors', 'must be a non-empty list of { when, code, status?, vendorCode? }');
  else {
    raw.errors.forEach((/** @type {unknown} */ entry, /** @type {number} */ index) => {
      const where = `.errors[${index}]`;
      if (!isObject(entry)) return problem(where, 'must be an object');
      unknownKeys(entry, ERROR_KEYS, where, problem);
      const when = requiredString(entry, 'when', where, problem);
      const code = requiredString(entry, 'code', where, problem);
      const info = code === undefined ? undefined : codes.get(code);
      if (code !== undefined && info === undefined) problem(`${where}.code`, `"${code}" is not a TokenErrorCode (${[...codes.keys()].join(', ')})`);
      const status = scalar(entry.status, `${where}.status`, problem);
      if (status !== undefined && !/^(([1-5]\d\d|[1-5]xx)(\s*,\s*([1-5]\d\d|[1-5]xx))*|any)$/i.test(status)) {
        problem(`${where}.status`, `"${status}" is not an HTTP status, a class like 4xx, a list of them ("401, 403") or "any"`);
      }
      const vendorCode = scalar(entry.vendorCode, `${where}.vendorCode`, problem);
      // Not rendered: read by packages/conformance/test/error-table.test.ts, which replays it against the fake.
      if (entry.replay !== undefined) {
        if (!isObject(entry.replay)) problem(`${where}.replay`, 'must be an object');
        else unknownKeys(entry.replay, REPLAY_KEYS, `${where}.replay`, problem);
      }
      if (when !== undefined && info !== undefined) errors.push({ status, vendorCode, when, code: info.code, retryable: info.retryable });
    });
  }

  if (problems.length > 0 || pkg === undefined || factory === undefined) return { mapping: undefined, problems };
  return { mapping: { package: pkg, factory, grants, calls, usage, fields, errorNote, errors }, problems };
}

/**
 * The dot paths of every property of every 2xx response body schema (`data.access_token`, …), following
 * internal `$ref`s, `allOf`/`oneOf`/`anyOf` and array items.
 *
 * @param {any} spec
 * @returns {Set<string>}
 */
export function successResponseFields(spec) {
  /** @type {Set<string>} */
  const paths = new Set();
  /** @param {unknown} node @param {string} prefix @param {Set<unknown>} seen */
  const walk = (node, prefix, seen) => {
    const schema = resolve(spec, node);
    if (!isObject(schema) || seen.has(schema) || seen.size > 32) return;
    const inner = new Set(seen).add(schema);
    for (const key of ['allOf', 'oneOf', 'anyOf']) {
      if (Array.isArray(schema[key])) for (const part of schema[key]) walk(part, prefix, inner);
    }
    if (schema.items !== undefined) walk(schema.items, prefix, inner);
    if (isObject(schema.properties)) {
      for (const [name, property] of Object.entries(schema.properties)) {
        const path = prefix ? `${prefix}.${name}` : name;
        paths.add(path);
        walk(property, path, inner);
      }
    }
  };
  for (const { path, method } of operationsOf(spec)) {
    const operation = resolve(spec, resolve(spec, spec.paths[path])[method]);
    const responses = isObject(operation?.responses) ? operation.responses : {};
    for (const [status, response] of Object.entries(responses)) {
      if (!/^2(\d\d|xx)$/i.test(status)) continue;
      const content = resolve(spec, response)?.content;
      if (!isObject(content)) continue;
      for (const media of Object.values(content)) walk(isObject(media) ? media.schema : undefined, '', new Set());
    }
  }
  return paths;
}

/** Follows internal `$ref`s (`#/components/...`) of a bundled document. @param {any} spec @param {unknown} node @returns {any} */
export function resolve(spec, node) {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string' && hops < 16; hops++) {
    const ref = /** @type {string} */ (current.$ref);
    if (!ref.startsWith('#/')) return current;
    let target = spec;
    for (const segment of ref.slice(2).split('/')) {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      target = isObject(target) ? target[key] : Array.isArray(target) ? target[Number(key)] : undefined;
    }
    current = target;
  }
  return current;
}

/** @param {unknown} value @returns {value is Record<string, any>} */
export function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @param {Record<string, unknown>} object @param {Set<string>} allowed @param {string} where @param {(where: string, what: string) => void} problem */
function unknownKeys(object, allowed, where, problem) {
  for (const key of Object.keys(object)) {
    if (!allowed.has(key)) problem(`${where}.${key}`, `unknown key (expected ${[...allowed].join(', ')})`);
  }
}

/** @param {Record<string, unknown>} object @param {string} key @param {string} where @param {(where: string, what: string) => void} problem */
function requiredString(object, key, where, problem) {
  const value = object[key];
  if (typeof value === 'string' && value.trim().length > 0) return value.trim();
  problem(`${where}.${key}`, value === undefined ? 'is required' : 'must be a non-empty string');
  return undefined;
}

/** @param {Record<string, unknown>} object @param {string} key @param {string} where @param {(where: string, what: string) => void} problem */
function optionalString(object, key, where, problem) {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  problem(`${where}.${key}`, 'must be a string');
  return undefined;
}

/** @param {unknown} value @param {string} where @param {(where: string, what: string) => void} problem @returns {string[]} */
function optionalStringList(value, where, problem) {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0)) return value;
  problem(where, 'must be a list of strings');
  return [];
}

/** @param {unknown} value @param {string} where @param {(where: string, what: string) => void} problem */
function scalar(value, where, problem) {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  problem(where, 'must be a string or a number');
  return undefined;
}
