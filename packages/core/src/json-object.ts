/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/**
 * `value` when it is a JSON object (not `null`, not an array), else `undefined`: for looking at a body whose
 * shape is not known yet — an error body, an envelope — without throwing.
 */
export function asJsonObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}
