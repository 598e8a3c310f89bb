// Makes a page from `redocly build-docs --inlineBundle` fully offline. The inlined Redoc 3 bundle still
// loads its "API docs by Redocly" logo from cdn.redoc.ly once it runs; that is the only resource it fetches
// on its own. The logo URLs are swapped for inline SVG data URLs (no request at all), and the page is checked
// for any other Redocly CDN address and for prerendered markup that loads from elsewhere (a remote image in a
// spec's description), so these fail the build, not a user's offline browser.

const LOGOS = new Map([
  ['https://cdn.redoc.ly/redoc/logo-mini-full.svg', svg(52, 14, `<text x="0" y="11" font-family="system-ui,sans-serif" font-size="11" font-weight="700" fill="#0044D4">Redocly</text>`)],
  ['https://cdn.redoc.ly/redoc/logo-mini.svg', svg(16, 16, `<rect width="16" height="16" rx="3" fill="#0044D4"/><text x="4" y="12.5" font-family="system-ui,sans-serif" font-size="12" font-weight="700" fill="#fff">R</text>`)],
]);

/**
 * CDN addresses that may stay in the bundle because nothing loads them unless a spec asks for it:
 * Font Awesome icons, used only by `x-badges`/icon extensions that these specs do not use.
 */
const INERT = [/https:\/\/cdn\.redocly\.com\/icons\//];

/**
 * @param {string} html a page written by `redocly build-docs --inlineBundle`
 * @returns {string} the same page with nothing left that is fetched from a CDN on load
 */
export function makeOffline(html) {
  let out = html;
  for (const [url, dataUrl] of LOGOS) out = out.split(url).join(dataUrl);
  const left = [...out.matchAll(/https?:\/\/cdn\.redoc(?:ly)?\.(?:ly|com)\/[^\s`'"<>)]*/g)]
    .map((match) => match[0])
    .filter((url) => !INERT.some((pattern) => pattern.test(url)));
  if (left.length > 0) {
    throw new Error(`the rendered page still loads from the Redocly CDN: ${[...new Set(left)].join(', ')}`);
  }
  // Prerendered markup that fetches from elsewhere: a CDN script or stylesheet (--inlineBundle dropped?), or
  // a remote image in a description (React preloads it). Docs must work offline: ship such files locally.
  const remote = [...out.matchAll(/<(?:script|link|img)\b[^>]*?\s(?:src|href)=["']?(https?:[^"'\s>]+)/gi)].map((match) => match[1]);
  if (remote.length > 0) {
    throw new Error(`the rendered page loads from elsewhere when opened: ${[...new Set(remote)].join(', ')}`);
  }
  return out;
}

/** @param {number} width @param {number} height @param {string} body */
function svg(width, height, body) {
  const source = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
  // Percent-encode what a data URL must not carry raw, and what would end the JavaScript string it lands in.
  return `data:image/svg+xml,${source.replace(/[%#"<>`{}$\\]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}`;
}
