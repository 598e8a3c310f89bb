// The little Markdown the index page needs: the x-token-set strings use inline `code`, **bold**, *emphasis*
// and [links](url). Everything else is escaped, so a spec can never inject markup into the index.

/** @param {unknown} text */
export function escapeHtml(text) {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Inline Markdown → HTML. Code spans are taken first, so nothing inside them is interpreted.
 * @param {string} markdown
 */
export function inlineHtml(markdown) {
  return markdown
    .trim()
    .split(/(`+)([\s\S]*?[^`])\1(?!`)/)
    .map((part, index) => {
      // split() with two groups yields [text, fence, code, text, fence, code, …]
      if (index % 3 === 1) return '';
      if (index % 3 === 2) return `<code>${escapeHtml(part.trim() || part)}</code>`;
      return emphasis(escapeHtml(part));
    })
    .join('')
    .replace(/\s*\n\s*/g, ' ');
}

/** @param {string} html already escaped text */
function emphasis(html) {
  return html
    .replace(/\[([^\]]+)\]\(((?:https?:\/\/|#|\.{0,2}\/|[\w-]+\.html)[^\s)]*)\)/g, (_, text, href) => `<a href="${href}">${text}</a>`)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*([^*\s][^*]*)\*(?!\w)/g, '$1<em>$2</em>');
}

/**
 * Markdown on one line (for a list item).
 * @param {string} markdown
 */
export function oneLine(markdown) {
  return markdown.trim().replace(/\s*\n\s*/g, ' ');
}
