import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** Checks a fake's responses against a vendor's OpenAPI spec. */
export interface SpecValidator {
  /** A description of how the response breaks the spec, or `undefined` when it follows it. */
  checkResponse(method: string, path: string, status: number, contentType: string | undefined, json: unknown): string | undefined;
}

/** The path of `specs/<vendor>.yaml` in this repository. */
export function specPath(vendor: string): string {
  return fileURLToPath(new URL(`../../../specs/${vendor}.yaml`, import.meta.url));
}

/** Loads `specs/<vendor>.yaml` and validates JSON responses against its response schemas. */
export function loadSpecValidator(vendor: string): SpecValidator {
  const spec = parse(readFileSync(specPath(vendor), 'utf8')) as { paths: Record<string, Record<string, any>> };
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  ajv.addSchema(spec as object, 'spec');
  const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

  return {
    checkResponse(method, path, status, contentType, json) {
      const operation = spec.paths[path]?.[method.toLowerCase()];
      if (!operation) return `${method} ${path}: not in the ${vendor} spec`;
      const key = String(status) in operation.responses ? String(status) : 'default';
      const response = operation.responses[key];
      if (!response) return `${method} ${path} → ${status}: status not documented in the ${vendor} spec`;
      if (!response.content) return undefined;
      const mediaType = contentType?.split(';')[0]?.trim();
      if (!mediaType || !response.content[mediaType]) return `${method} ${path} → ${status}: media type ${mediaType} not documented`;
      const ref = `spec#/${pointer('paths', path, method.toLowerCase(), 'responses', key, 'content', mediaType, 'schema')}`;
      const validate = ajv.getSchema(ref);
      if (!validate) return `${ref}: no schema`;
      if (validate(json)) return undefined;
      return `${method} ${path} → ${status}: ${ajv.errorsText(validate.errors)}`;
    },
  };
}
