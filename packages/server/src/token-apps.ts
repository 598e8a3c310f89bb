import type { ProviderSettings, TokenProvider, TokenSet, TokenStore } from '@token-clients/core';
import type { AppConfig } from './config/service-config.js';
import { VENDORS, type VendorApp, type VendorEntry } from './vendors.js';

/** One configured app: its vendor's client, its own token's provider, and its users' providers. */
export interface TokenApp {
  readonly name: string;
  readonly vendor: string;
  readonly entry: VendorEntry;
  /** The app's own token, for vendors that have one. */
  readonly provider?: TokenProvider;
  /** A user's provider (made on first use; one per subject). Only for vendors with user tokens. */
  userProvider(subject: string): TokenProvider;
  /**
   * Trades a user's authorization code for their tokens and stores them as that user's current tokens —
   * replacing older ones, since a user who authorises again means to start over.
   */
  authorize(subject: string, code: string, redirectUri: string | undefined): Promise<TokenSet>;
}

/**
 * How many users' providers one app keeps in memory. Past it the least recently made is closed; its tokens
 * stay in the store, so the user's next request just makes a new provider.
 */
const MAX_USER_PROVIDERS = 10_000;

/** Every configured app, each on the shared store, and a way to find which app a store key belongs to. */
export class TokenApps {
  readonly #apps = new Map<string, TokenApp>();
  readonly #closers: (() => Promise<void>)[] = [];
  /** Store key prefix → app name, for metrics (the core channels name keys, not apps). */
  readonly #byKey = new Map<string, string>();

  constructor(
    apps: Record<string, AppConfig>,
    private readonly store: TokenStore,
    private readonly now: () => number = Date.now,
    /** Settings every provider gets (the service's logger), under each app's own. */
    private readonly shared: ProviderSettings = {},
  ) {
    for (const [name, config] of Object.entries(apps)) this.#apps.set(name, this.#make(name, config));
  }

  /** The app called `name`, if configured. */
  get(name: string): TokenApp | undefined {
    return this.#apps.get(name);
  }

  /** Every app. */
  all(): IterableIterator<TokenApp> {
    return this.#apps.values();
  }

  /** The app whose provider (or one of whose users' providers) has store key `key`. */
  appOfKey(key: string): string | undefined {
    const exact = this.#byKey.get(key);
    if (exact !== undefined) return exact;
    const user = key.indexOf(':user:');
    return user < 0 ? undefined : this.#byKey.get(key.slice(0, user));
  }

  /** Closes every provider: in-flight refreshes are abandoned and their leases given back. */
  async close(): Promise<void> {
    await Promise.all(this.#closers.splice(0).map((close) => close().catch(() => {})));
  }

  #make(name: string, config: AppConfig): TokenApp {
    const entry = VENDORS[config.vendor]!;
    const client: VendorApp = entry.create(config.options);
    const store = this.store;
    const settings = { ...this.shared, ...config.provider, store } as ProviderSettings;
    const provider = client.tokenProvider?.(settings);
    if (provider) {
      this.#byKey.set(provider.key, name);
      this.#closers.push(() => provider.close());
    }
    const users = new Map<string, TokenProvider>();
    this.#closers.push(() => Promise.all([...users.values()].map((user) => user.close())).then(() => users.clear()));

    const makeUser = (subject: string, initial?: TokenSet): TokenProvider => {
      const made = client.userTokenProvider!({ ...settings, subject, ...(initial === undefined ? {} : { initial }) });
      const previous = users.get(subject);
      users.delete(subject);
      users.set(subject, made);
      if (previous) void previous.close().catch(() => {});
      if (users.size > MAX_USER_PROVIDERS) {
        const [oldest, oldestProvider] = users.entries().next().value as [string, TokenProvider];
        users.delete(oldest);
        void oldestProvider.close().catch(() => {});
      }
      const userPrefix = made.key.slice(0, made.key.lastIndexOf(':user:'));
      if (userPrefix) this.#byKey.set(userPrefix, name);
      return made;
    };

    return {
      name,
      vendor: config.vendor,
      entry,
      ...(provider ? { provider } : {}),
      userProvider: (subject) => users.get(subject) ?? makeUser(subject),
      authorize: async (subject, code, redirectUri) => {
        const token = await client.exchangeCode!(code, redirectUri);
        const made = makeUser(subject, token);
        // `initial` is used only while the store has nothing for this user; a new authorization replaces
        // whatever is stored (an old, maybe revoked, refresh token), by compare-and-set on its version.
        for (let attempt = 0; attempt < 5; attempt++) {
          const stored = await store.get(made.key);
          if (await store.compareAndSet(made.key, stored?.version ?? 0, token, this.now())) break;
        }
        return token;
      },
    };
  }
}
