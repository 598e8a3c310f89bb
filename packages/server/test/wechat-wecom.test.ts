import { startWechatFake, type WechatFake } from '@token-clients/testkit/vendors/wechat';
import { startWecomFake, type WecomFake } from '@token-clients/testkit/vendors/wecom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startService, writeConfig, type ServiceProcess } from './support/service-process.js';

// The central token service serving WeChat (both endpoints) and two WeCom applications of one corp, from a
// config, as an operator runs it: `vendor: wechat` and `vendor: wecom` are apps like any other.

const CALLER_KEY = 'caller-key-0123456789abcdefghijklmnopqrstuv';
const CONTACTS_SECRET = 'contacts-secret-0123456789abcdef';
let wechat: WechatFake;
let wecom: WecomFake;
let service: ServiceProcess;
let env: NodeJS.ProcessEnv;

const config = () => ({
  listen: { host: '127.0.0.1', port: 0 },
  apps: {
    official: { vendor: 'wechat', clientId: wechat.clientId, clientSecret: '${WECHAT_SECRET}', baseUrl: wechat.url },
    classic: { vendor: 'wechat', endpoint: 'classic', clientId: wechat.clientId, clientSecret: '${WECHAT_SECRET}', baseUrl: wechat.url },
    crm: { vendor: 'wecom', clientId: wecom.clientId, clientSecret: '${WECOM_SECRET}', application: wecom.application, baseUrl: wecom.url },
    contacts: { vendor: 'wecom', clientId: wecom.clientId, clientSecret: '${WECOM_CONTACTS_SECRET}', application: 'contacts', baseUrl: wecom.url },
  },
  callers: { backend: { key: '${CALLER_KEY}', apps: ['official', 'classic', 'crm', 'contacts'] } },
});

beforeAll(async () => {
  [wechat, wecom] = await Promise.all([startWechatFake(), startWecomFake({ otherApplications: { contacts: CONTACTS_SECRET } })]);
  env = { WECHAT_SECRET: wechat.clientSecret, WECOM_SECRET: wecom.clientSecret, WECOM_CONTACTS_SECRET: CONTACTS_SECRET, CALLER_KEY };
  service = await startService(await writeConfig(config(), { mode: 0o600 }), env);
});
afterAll(async () => {
  await service?.stop();
  await Promise.all([wechat?.close(), wecom?.close()]);
});

const token = async (app: string) => {
  const response = await fetch(`${service.url}/v1/apps/${app}/token`, { headers: { authorization: `Bearer ${CALLER_KEY}` } });
  return { status: response.status, json: (await response.json()) as { access_token: string; expires_in: number } };
};

describe('the token service with WeChat and WeCom apps', () => {
  it('serves the WeChat stable and classic tokens, each cached', async () => {
    const official = await token('official');
    const classic = await token('classic');
    expect(official.status).toBe(200);
    expect(classic.status).toBe(200);
    expect(official.json.access_token).not.toBe(classic.json.access_token);
    expect(wechat.issued).toEqual(expect.arrayContaining([official.json.access_token, classic.json.access_token]));
    await token('official');
    expect(wechat.stableCalls()).toBe(1);
    expect(wechat.classicCalls()).toBe(1);
  });

  it("serves each WeCom application its own token, under one corp", async () => {
    const [crm, contacts] = await Promise.all([token('crm'), token('contacts')]);
    expect(crm.status).toBe(200);
    expect(contacts.status).toBe(200);
    expect(crm.json.access_token).not.toBe(contacts.json.access_token);
    expect((await token('crm')).json.access_token).toBe(crm.json.access_token);
    expect(wecom.tokenCalls()).toBe(2);
  });

  it('passes `token-clients check`, which names a WeCom app without its application', async () => {
    expect((await runCli(['check', '--config', await writeConfig(config(), { mode: 0o600 })], env)).stdout).toContain('(wechat)');
    const broken = config();
    delete (broken.apps.crm as Partial<typeof broken.apps.crm>).application;
    const result = await runCli(['check', '--config', await writeConfig(broken, { mode: 0o600 })], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('apps.crm.application');
    expect(result.stderr + result.stdout).not.toContain(wecom.clientSecret);
  });
});
