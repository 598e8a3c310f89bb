// The docs are built offline from the repository — before the packages are public as well as after — so a link
// to a package's page on the npm registry (a spec's `info.contact.url`) may point at a page that does not exist
// yet. On the rendered page it becomes a link to the vendor's section of docs/index.html, which always exists and
// carries the install line; the bundled spec (docs/<vendor>.openapi.json) keeps the registry URL, its identity.

/** Registry pages of a package: npmjs.com's `/package/<name>` and the registry API's `registry.npmjs.org/<name>`. */
const REGISTRY_PAGE = /^https:\/\/(www\.)?(npmjs\.com\/package\/|registry\.npmjs\.org\/)/;

/**
 * `info` with a registry link in `contact.url` replaced by `index.html#vendor-<name>`; other links unchanged.
 * Returns a new object (the spec given is not changed).
 *
 * @param {Record<string, any>} info the spec's `info`
 * @param {string} vendorName the vendor's name (its spec's file name), as the index's section ids use it
 * @returns {Record<string, any>}
 */
export function withLocalRegistryLinks(info, vendorName) {
  const url = info?.contact?.url;
  if (typeof url !== 'string' || !REGISTRY_PAGE.test(url)) return info;
  return { ...info, contact: { ...info.contact, url: `index.html#vendor-${vendorName}` } };
}
