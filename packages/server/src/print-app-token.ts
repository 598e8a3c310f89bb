import { TokenError } from '@token-clients/core';
import { SERVICE } from './config/config-problem.js';
import type { ServiceConfig } from './config/service-config.js';
import { TokenApps } from './token-apps.js';
import { openStore } from './token-store.js';

/**
 * One app's access token, as `token-clients token <app>` prints it: through the same store as the service, so
 * with Redis it is the fleet's cached token, not a new request to the vendor.
 */
export async function printAppToken(config: ServiceConfig, appName: string): Promise<string> {
  if (!Object.hasOwn(config.apps, appName)) {
    throw new TokenError({ code: 'invalid_configuration', vendor: SERVICE, message: `no app "${appName}" in the config (apps: ${Object.keys(config.apps).join(', ')})` });
  }
  const store = await openStore(config.store, () => {});
  const apps = new TokenApps({ [appName]: config.apps[appName]! }, store.store);
  try {
    const app = apps.get(appName)!;
    if (!app.provider) {
      throw new TokenError({ code: 'invalid_configuration', vendor: SERVICE, message: `app "${appName}" (${app.vendor}) has user tokens only; the service serves them per user` });
    }
    return await app.provider.getAccessToken();
  } finally {
    await apps.close();
    await store.close();
  }
}
