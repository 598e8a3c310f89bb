/**
 * openapi-fetch's `bodySerializer` for a token request sent as `multipart/form-data` (Fantem's, as in its
 * vendor's example): every field as a string.
 *
 * openapi-fetch's default serializer turns an object into JSON (or urlencoded when told so); it passes
 * `FormData` through untouched and leaves the `Content-Type` to `fetch`, which adds the boundary. Fields
 * that are `undefined` are left out rather than sent as the text "undefined".
 */
export function multipartBody(fields: object): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) form.append(name, String(value));
  }
  return form;
}
