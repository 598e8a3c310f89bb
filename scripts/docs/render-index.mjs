// docs/index.html: the vendors, a link to each vendor's page, and for each the package to install and how its
// answers map onto TokenSet and TokenError — rendered from each spec's own `info.x-token-set`. One
// self-contained file (inline CSS, no script, no font or image from anywhere): it works offline, from a
// file:// URL as well as from `pnpm docs:serve`.
import { readFileSync } from 'node:fs';
import { escapeHtml, inlineHtml } from './inline-markdown.mjs';
import { commonErrors, fromCell, statusText } from './render-vendor-section.mjs';
import { serviceFacts } from './service-extension.mjs';
import { EXTENSION } from './token-set-extension.mjs';

const CSS = readFileSync(new URL('./index.css', import.meta.url), 'utf8');

/**
 * @typedef {import('./core-contract.mjs').CoreContract} CoreContract
 * @typedef {import('./token-set-extension.mjs').TokenSetMapping} TokenSetMapping
 * @typedef {{
 *   name: string, specFile: string, page: string | undefined, specJson: string | undefined,
 *   title: string, version: string | undefined, summary: string | undefined,
 *   servers: { url: string, description: string | undefined }[],
 *   mapping: TokenSetMapping | undefined, problems: string[],
 *   service?: import('./service-extension.mjs').ServiceInfo
 * }} IndexVendor
 */

/**
 * @param {{ vendors: IndexVendor[], contract: CoreContract, generatedAt: Date }} input
 * @returns {string}
 */
export function renderIndex({ vendors, contract, generatedAt }) {
  const h = escapeHtml;
  const rows = vendors
    .map(
      (vendor) => `<tr>
        <th scope="row"><a href="#vendor-${h(vendor.name)}">${h(vendor.name)}</a></th>
        <td>${h(vendor.title)}</td>
        <td>${vendor.mapping || vendor.service ? `<code>${h((vendor.mapping ?? vendor.service)?.package ?? '')}</code>` : '<span class="muted">not documented yet</span>'}</td>
        <td>${vendor.mapping?.grants.length ? vendor.mapping.grants.map((grant) => `<code>${h(grant)}</code>`).join(' ') : '—'}</td>
        <td>${vendor.page ? `<a href="${h(vendor.page)}">API reference</a>` : '<span class="problem-text">not built</span>'}</td>
      </tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>token-clients — vendor API docs</title>
  <style>
${CSS}
  </style>
</head>
<body>
<header class="top">
  <h1>token-clients — vendor API docs</h1>
  <p>Typed clients for the access-token endpoints of ${countVendors(vendors)}, and the central token service that serves them over HTTP. Each vendor's
  page documents its token API from the hand-written spec in <code>specs/</code>, with the vendor's quirks and the rulings
  token-clients takes where the vendor's document is silent. Below each vendor: the package to install, and how its
  answers become a <a href="#tokenset"><code>TokenSet</code></a> or a <a href="#tokenerror"><code>TokenError</code></a>.</p>
</header>
<main>
<section aria-labelledby="vendors-heading">
  <h2 id="vendors-heading">Vendors</h2>
  <table class="vendors">
    <thead><tr><th scope="col">Vendor</th><th scope="col">API</th><th scope="col">Package</th><th scope="col">Grants</th><th scope="col">Docs</th></tr></thead>
    <tbody>
${rows}
    </tbody>
  </table>
</section>
${vendors.map((vendor) => renderVendor(vendor, contract)).join('\n')}
${renderReference(contract)}
</main>
<footer>Built ${h(generatedAt.toISOString().replace(/\.\d+Z$/, 'Z'))} from ${vendors.map((vendor) => `<code>${h(vendor.specFile)}</code>`).join(', ')} by <code>pnpm docs</code>.</footer>
</body>
</html>
`;
}

/** "5 vendors": the specs that are not one of token-clients' own services. @param {IndexVendor[]} vendors */
function countVendors(vendors) {
  const count = vendors.filter((vendor) => !vendor.service).length;
  return `${count} vendor${count === 1 ? '' : 's'}`;
}

/** @param {IndexVendor} vendor @param {CoreContract} contract */
function renderVendor(vendor, contract) {
  const h = escapeHtml;
  const { mapping } = vendor;
  const parts = [];
  parts.push(`<header>
    <h2 id="vendor-${h(vendor.name)}-heading">${vendor.page ? `<a href="${h(vendor.page)}">${h(vendor.title)}</a>` : h(vendor.title)}${vendor.version ? ` <span class="version">${h(vendor.version)}</span>` : ''}</h2>
    ${vendor.summary ? `<p class="summary">${inlineHtml(vendor.summary)}</p>` : ''}
    <p class="links">${vendor.page ? `<a class="button" href="${h(vendor.page)}">API reference →</a>` : ''}
      ${vendor.specJson ? `<a href="${h(vendor.specJson)}">OpenAPI (JSON)</a>` : ''}
      <span class="muted">from <code>${h(vendor.specFile)}</code></span></p>
  </header>`);
  if (vendor.problems.length > 0) {
    parts.push(`<div class="problems" role="alert"><p><strong>Problems in <code>${h(vendor.specFile)}</code></strong> (the build fails until they are fixed):</p>
      <ul>${vendor.problems.map((problem) => `<li>${h(problem)}</li>`).join('')}</ul></div>`);
  }
  const facts = vendor.service ? serviceFacts(vendor.service) : [];
  if (mapping) {
    facts.push(['Install', `<code class="install">npm i ${h(mapping.package)}</code>`]);
    facts.push(['Create', `<code>${h(mapping.factory)}(…)</code> from <code>${h(mapping.package)}</code>`]);
    if (mapping.grants.length) facts.push(['Grants', mapping.grants.map((grant) => `<code>${h(grant)}</code>`).join(', ')]);
  }
  if (vendor.servers.length) {
    facts.push([
      vendor.servers.length === 1 ? 'Server' : 'Servers',
      vendor.servers.map((server) => `<code>${h(server.url)}</code>${server.description ? ` — ${inlineHtml(server.description)}` : ''}`).join('<br>'),
    ]);
  }
  if (facts.length) parts.push(`<dl class="facts">${facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>`);

  if (vendor.service) {
    if (vendor.service.usage) parts.push(`<pre class="usage"><code>${h(vendor.service.usage.trimEnd())}</code></pre>`);
    return `<section class="vendor" id="vendor-${h(vendor.name)}" data-vendor="${h(vendor.name)}" aria-labelledby="vendor-${h(vendor.name)}-heading">${parts.join('\n')}</section>`;
  }
  if (!mapping) {
    // Say plainly that the mapping is missing — but only of a spec that could be read, and not twice.
    if (vendor.specJson !== undefined && !vendor.problems.some((problem) => problem.startsWith(`info.${EXTENSION}`))) {
      parts.push(`<p class="missing" role="note"><strong><code>${h(vendor.specFile)}</code> has no <code>info.${EXTENSION}</code> yet</strong>, so
        this page cannot say which package to install or how this vendor's answers map onto <code>TokenSet</code> and <code>TokenError</code>.
        The vendor's page documents the API itself.</p>`);
    }
    return `<section class="vendor" id="vendor-${h(vendor.name)}" data-vendor="${h(vendor.name)}" aria-labelledby="vendor-${h(vendor.name)}-heading">${parts.join('\n')}</section>`;
  }

  parts.push(`<h3>Calls</h3>
  <table class="calls"><thead><tr><th scope="col">Call</th><th scope="col">Sends</th><th scope="col">What it does</th></tr></thead><tbody>
  ${mapping.calls
    .map(
      (call) => `<tr><td><code>${h(call.call)}</code></td><td>${
        call.operation ? `<code>${h(call.operation.method.toUpperCase())} ${h(call.operation.path)}</code>` : '—'
      }</td><td>${inlineHtml(call.description)}</td></tr>`,
    )
    .join('\n')}
  </tbody></table>`);
  if (mapping.usage) parts.push(`<pre class="usage"><code>${h(mapping.usage.trimEnd())}</code></pre>`);

  parts.push(`<h3>Response → <code>TokenSet</code></h3>
  <table class="mapping"><thead><tr><th scope="col"><code>TokenSet</code> field</th><th scope="col">From the response</th><th scope="col">Notes</th></tr></thead><tbody>
  ${mapping.fields
    .map(
      (field) => `<tr class="${field.set ? 'set' : 'unset'}" data-field="${h(field.name)}"><th scope="row"><code>${h(field.name)}</code></th><td>${inlineHtml(
        fromCell(field),
      )}</td><td>${inlineHtml(field.note ?? (field.set ? '' : field.doc))}</td></tr>`,
    )
    .join('\n')}
  </tbody></table>`);

  parts.push(`<h3>Failure → <code>TokenError</code></h3>
  ${mapping.errorNote ? `<p class="error-note">${inlineHtml(mapping.errorNote)}</p>` : ''}
  <table class="errors"><thead><tr><th scope="col">HTTP status</th><th scope="col">Vendor code</th><th scope="col">When</th><th scope="col"><code>code</code></th><th scope="col">Retryable</th></tr></thead><tbody>
  ${[...mapping.errors, ...commonErrors(contract)]
    .map(
      (error) => `<tr data-code="${h(error.code)}"><td>${h(statusText(error.status))}</td><td>${
        error.vendorCode === undefined ? '—' : `<code>${h(error.vendorCode)}</code>`
      }</td><td>${inlineHtml(error.when)}</td><td><code>${h(error.code)}</code></td><td>${error.retryable ? 'yes' : 'no'}</td></tr>`,
    )
    .join('\n')}
  </tbody></table>`);

  return `<section class="vendor" id="vendor-${h(vendor.name)}" data-vendor="${h(vendor.name)}" aria-labelledby="vendor-${h(vendor.name)}-heading">${parts.join('\n')}</section>`;
}

/** @param {CoreContract} contract */
function renderReference(contract) {
  const h = escapeHtml;
  return `<section class="reference" aria-labelledby="tokenset">
  <h2 id="tokenset"><code>TokenSet</code> (from <code>@token-clients/core</code>)</h2>
  <p>What every vendor client returns, whatever the vendor's response looks like.</p>
  <table><thead><tr><th scope="col">Field</th><th scope="col">Meaning</th></tr></thead><tbody>
  ${contract.fields.map((field) => `<tr><th scope="row"><code>${h(field.name)}${field.optional ? '?' : ''}</code></th><td>${inlineHtml(field.doc)}</td></tr>`).join('\n')}
  </tbody></table>
  <h2 id="tokenerror"><code>TokenError</code> codes</h2>
  <p>Every failure is a <code>TokenError</code> with one of these codes, the vendor's own code and message, the HTTP
  status and request id when there is one, and <code>retryable</code>: whether trying again later can help.</p>
  <table><thead><tr><th scope="col"><code>code</code></th><th scope="col">Retryable</th><th scope="col">What to do</th></tr></thead><tbody>
  ${contract.codes.map((info) => `<tr><th scope="row"><code>${h(info.code)}</code></th><td>${info.retryable ? 'yes' : 'no'}</td><td>${info.advice ? h(capitalise(info.advice)) : ''}</td></tr>`).join('\n')}
  </tbody></table>
</section>`;
}

/** @param {string} text */
function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
