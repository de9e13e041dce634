// Browser test of the AIOps page: the real server (a database of its own on the local PostgreSQL, Redis behind a relay
// this test can cut) collecting
// every second, Debian Chromium. Redis is taken away (the fault), the collector turns it into an incident, and an admin
// signs in, opens the incident from the keyboard, sees the ranked causes (redis first) and the fixes, runs a Dry run
// and then Apply of the safe reconnect-redis fix and sees both in the audit trail; the page logs no console error.
// Run: node --test client/e2e/aiops.test.mjs   (needs /usr/bin/chromium, PostgreSQL on 127.0.0.1:5432 with trust auth
// (TEST_POSTGRES_ADMIN_URL) and Redis on 127.0.0.1:6379; builds
// server/client if missing, or always with JOURNEY_BUILD=1).
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { TcpProxy } from '../../server/test/support/tcp-proxy.js';
import { expectAccessible } from './support/axe.mjs';
import { launchChromium, missing, startPlatform } from './support/server.mjs';

const SCREENSHOT_DIR = process.env.JOURNEY_SCREENSHOT_DIR ?? tmpdir();
const ADMIN_EMAIL = 'aiops-admin@example.com';
const ADMIN_PASSWORD = 'aiops-admin-password-1';
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement as the PostgreSQL administrator (creating and dropping the test's own database). */
async function postgresAdmin(statement) {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe('aiops: an incident from an injected fault, its causes and a fix applied from the page', { skip: missing }, () => {
  let platform;
  let browser;
  let page;
  let baseUrl;
  let token;
  const dbName = `xiaoyu_aiops_browser_${Date.now()}`;
  const relay = new TcpProxy('127.0.0.1', 6379);
  let serverLogs = [];
  const consoleErrors = [];

  async function api(path, init = {}) {
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers },
    });
    const body = await response.json();
    assert.ok(response.ok, `${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  }

  async function until(what, probe, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s:\n${serverLogs.slice(-30).join('')}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  before(async () => {
    const redisPort = await relay.start();
    await postgresAdmin(`create database ${dbName}`);
    const databaseUrl = new URL(POSTGRES_ADMIN_URL);
    databaseUrl.pathname = `/${dbName}`;
    platform = await startPlatform('aiops-browser', {
      DATABASE_URL: databaseUrl.toString(),
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      AIOPS_COLLECT: 'true',
      AIOPS_COLLECT_INTERVAL_MS: '1000',
      // no automatic fix: the admin applies it from the page
      AIOPS_AUTO_FIXES: '',
    });
    ({ baseUrl, logs: serverLogs } = platform);
    token = (await api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) })).accessToken;
    await until('the first collections', async () => {
      const status = await api('/api/aiops/status');
      return status.last && status.series > 5;
    });

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => consoleErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`console: ${message.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await relay.cut();
    await platform?.stop();
    await postgresAdmin(`drop database if exists ${dbName} with (force)`);
  });

  async function shot(name) {
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
    await page.screenshot({ path: join(SCREENSHOT_DIR, `xiaoyu-aiops-${name}.png`), fullPage: true });
  }

  const focused = () => page.evaluate(() => document.activeElement?.textContent?.replace(/\s+/g, ' ').trim() ?? '');

  test('Redis taken away becomes an incident that the admin diagnoses and fixes from the page', async () => {
    await page.goto(`${baseUrl}/login?returnUrl=%2Faiops`);
    await page.getByLabel('E-mail').fill(ADMIN_EMAIL);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/aiops$/);
    await page.getByRole('heading', { name: 'AIOps', level: 1 }).waitFor();
    await page.getByTestId('status').filter({ hasText: 'Collecting every 1 s from this process' }).waitFor();
    await page.getByText('No incidents').waitFor();

    // the fault: Redis goes away; the collector sees the health check fail and opens an incident
    await relay.cut();
    let seen = [];
    const incident = await until(
      'an incident with redis ranked first',
      async () => {
        seen = await api('/api/aiops/incidents');
        return seen.find((i) => i.state === 'firing' && i.topCause === 'redis');
      },
      90_000,
    ).catch((error) => {
      throw new Error(`${error.message}\nincidents: ${JSON.stringify(seen)}`);
    });

    // from the keyboard: Refresh, then the next Tab stop is the incident in the timeline, Enter opens it
    await page.getByRole('button', { name: 'Refresh' }).focus();
    await page.keyboard.press('Enter');
    const entry = page.getByTestId('incident').filter({ hasText: incident.title });
    await entry.waitFor();
    await page.keyboard.press('Tab');
    assert.match(await focused(), new RegExp(incident.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await page.keyboard.press('Enter');
    const view = page.getByTestId('incident-view');
    await view.getByRole('heading', { name: incident.title, level: 2 }).waitFor();
    assert.equal(await entry.getAttribute('aria-pressed'), 'true');

    // diagnosis and ranked causes: redis first, with its evidence
    assert.match(await view.getByTestId('diagnosis').innerText(), /redis/i);
    const causes = view.getByTestId('causes').locator(':scope > li');
    assert.match(await causes.first().innerText(), /^redis \(\d+ ?%\) — .+ \d+ signal\(s\)$/s);

    // the fixes: reconnecting Redis first, a safe (low-risk) action with Dry run / Apply; Apply waits for a dry run
    const fix = view.getByTestId('fixes').locator(':scope > li').filter({ hasText: 'Reconnect the queue connections to Redis' });
    assert.match(await view.getByTestId('fixes').locator(':scope > li').first().innerText(), /Reconnect the queue connections to Redis/);
    await fix.getByText('risk low').waitFor();
    const dryRun = fix.getByRole('button', { name: 'Dry run' });
    const apply = fix.getByRole('button', { name: 'Apply' });
    assert.equal(await dryRun.isEnabled(), true);
    assert.equal(await apply.isEnabled(), false);
    await fix.getByText('Run a dry run first.').waitFor();
    await shot('incident');
    await expectAccessible(page, 'an incident with its causes and fixes');

    // Dry run from the keyboard (Space on the focused button): what would change, nothing changed yet
    await dryRun.focus();
    await page.keyboard.press('Space');
    const result = view.getByTestId('action-result');
    const outcome = result.or(view.getByTestId('action-problem'));
    await outcome.waitFor();
    assert.match(await outcome.innerText(), /^Dry run: \d+ queue connection\(s\) would be closed and reopened at once$/);
    const audit = view.getByTestId('audit');
    await audit.locator('tbody tr').filter({ hasText: 'reconnect-redis' }).filter({ hasText: 'dry-run' }).filter({ hasText: 'planned' }).waitFor();

    // Apply, now enabled; the audit trail shows the execution by the admin, not by the policy
    await apply.and(page.locator(':enabled')).waitFor();
    await apply.focus();
    await page.keyboard.press('Enter');
    await outcome.filter({ hasNotText: 'Dry run:' }).waitFor();
    assert.match(await outcome.innerText(), /^Applied: \d+ queue connection\(s\) reconnecting$/);
    const executed = audit.locator('tbody tr').filter({ hasText: 'reconnect-redis' }).filter({ hasText: 'execute' });
    await executed.filter({ hasText: 'succeeded' }).waitFor();
    assert.doesNotMatch(await executed.innerText(), /\bpolicy\b/);
    const entries = (await api(`/api/aiops/fixes/audit?incidentId=${incident.id}`)).filter((e) => e.fixId === 'reconnect-redis');
    assert.deepEqual(entries.map((e) => `${e.mode}:${e.outcome}:${e.automatic}`).sort(), ['dry-run:planned:false', 'execute:succeeded:false']);
    await shot('applied');

    assert.deepEqual(consoleErrors, []);
  });
});
