/**
 * Collects everything the service showed the outside — bodies, headers, log lines, metrics — and finds
 * any known secret in it.
 */
export class ExposureLog {
  readonly #seen: string[] = [];

  /** Records a response: its status line, every header and the body. */
  async response(response: Response): Promise<string> {
    const body = await response.text();
    this.#seen.push(`${response.status}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n\n${body}`);
    return body;
  }

  /** Records any other text (log lines, CLI output). */
  text(text: string): void {
    this.#seen.push(text);
  }

  /** Each secret found, with where (`secret name in: …`), for the assertion message. */
  find(secrets: Record<string, string>): string[] {
    const found: string[] = [];
    for (const [name, secret] of Object.entries(secrets)) {
      for (const text of this.#seen) {
        if (text.includes(secret)) found.push(`${name} in: ${text.slice(0, 200)}`);
      }
    }
    return found;
  }

  get size(): number {
    return this.#seen.length;
  }
}
