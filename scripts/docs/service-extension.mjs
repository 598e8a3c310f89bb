// Reads `info.x-token-service`, the extension of a spec that documents one of token-clients' own services
// (specs/token-service.yaml) rather than a vendor: it has no TokenSet mapping, but a package to install, a
// command to run and a typed client. Its pages say so instead of "no x-token-set yet".
//
//     x-token-service:
//       package: '@token-clients/server'        the npm package
//       command: token-clients serve --config token-clients.yaml
//       client: createTokenServiceClient        the typed client's factory
//       clientImport: '@token-clients/server/client'
//       usage: |                                a short example (TypeScript)
//         …
import { escapeHtml } from './inline-markdown.mjs';
import { INDEX_LINK_TEXT, SECTION_HEADING } from './render-vendor-section.mjs';
import { isObject } from './token-set-extension.mjs';

export const SERVICE_EXTENSION = 'x-token-service';

/**
 * @typedef {{ package: string, command: string, client: string, clientImport: string, usage: string | undefined }} ServiceInfo
 */

/**
 * @param {any} spec the bundled OpenAPI document
 * @returns {{ service: ServiceInfo | undefined, problems: string[] }} `service` is undefined for a vendor's spec.
 */
export function readServiceExtension(spec) {
  const raw = spec?.info?.[SERVICE_EXTENSION];
  if (raw === undefined) return { service: undefined, problems: [] };
  if (!isObject(raw)) return { service: undefined, problems: [`info.${SERVICE_EXTENSION}: must be an object`] };
  const problems = [];
  for (const key of ['package', 'command', 'client', 'clientImport']) {
    if (typeof raw[key] !== 'string' || raw[key].trim() === '') problems.push(`info.${SERVICE_EXTENSION}.${key}: must be a non-empty string`);
  }
  if (raw.usage !== undefined && typeof raw.usage !== 'string') problems.push(`info.${SERVICE_EXTENSION}.usage: must be a string`);
  if (problems.length) return { service: undefined, problems };
  return {
    service: { package: raw.package, command: raw.command, client: raw.client, clientImport: raw.clientImport, usage: raw.usage },
    problems,
  };
}

/** The description of a service's page: the back link, the spec's description, then how to run and call it. */
export function serviceDescription(/** @type {string | undefined} */ description, /** @type {ServiceInfo} */ service) {
  const usage = service.usage ? `\n\n\`\`\`ts\n${service.usage.trimEnd()}\n\`\`\`` : '';
  return `[${INDEX_LINK_TEXT}](index.html)\n\n${(description ?? '').trim()}\n\n## ${SECTION_HEADING}\n\nInstall \`${service.package}\` (\`npm i ${service.package}\`) and run \`${service.command}\`. The typed client is \`${service.client}\` from \`${service.clientImport}\`, generated from this spec; other languages generate theirs from the same spec.${usage}\n`;
}

/** The facts of a service on the index, as `[term, html]` pairs. */
export function serviceFacts(/** @type {ServiceInfo} */ service) {
  const h = escapeHtml;
  return [
    ['Install', `<code class="install">npm i ${h(service.package)}</code>`],
    ['Run', `<code>${h(service.command)}</code>`],
    ['Client', `<code>${h(service.client)}(…)</code> from <code>${h(service.clientImport)}</code>`],
  ];
}
