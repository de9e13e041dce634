// Browser journey: the real server (embedded PGlite, local Redis) serving the built SPA, driven by Debian Chromium.
// Run: node --test client/e2e/   (needs /usr/bin/chromium and Redis on 127.0.0.1:6379; builds server/client if
// missing, or always with JOURNEY_BUILD=1)
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './support/axe.mjs';
import { launchChromium, missing, startPlatform } from './support/server.mjs';

const SCREENSHOT_DIR = process.env.JOURNEY_SCREENSHOT_DIR ?? tmpdir();
const PASSWORD = 'journey-password-1';
const ADMIN_EMAIL = 'admin@journey.test';
const ADMIN_PASSWORD = 'journey-admin-password';

describe('dashboard journey', { skip: missing }, () => {
  let platform;
  let browser;
  let page;
  let baseUrl;
  let serverLogs = [];
  const email = `journey-${Date.now()}@example.com`;

  before(async () => {
    platform = await startPlatform('journey', { ADMIN_EMAIL, ADMIN_PASSWORD });
    ({ baseUrl, logs: serverLogs } = platform);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => serverLogs.push(`[browser] ${error.message}\n`));
  });

  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function shot(name) {
    // Let enter animations (toasts, ripples) finish so the picture shows the settled UI.
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
    const path = join(SCREENSHOT_DIR, `xiaoyu-journey-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  }

  async function signIn(address, password) {
    await page.getByLabel('E-mail').fill(address);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  test('a visitor is sent to the login page', async () => {
    await page.goto(`${baseUrl}/system`);
    await page.waitForURL(/\/login\?returnUrl=%2Fsystem/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  test('registering shows the invalid fields, then creates the account and signs in', async () => {
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();

    // Client-side validation stops a short password before it reaches the server.
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Use at least 8 characters').waitFor();
    await expectAccessible(page, 'registration with an invalid field');

    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/system$/);
    await page.getByRole('button', { name: 'Account menu' }).getByText(email).waitFor();
  });

  test('logging out returns to the login page', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    const stored = await page.evaluate(() => localStorage.getItem('xiaoyu.session'));
    assert.equal(stored, null);
  });

  test('a wrong password shows the problem toast', async () => {
    await signIn(email, 'definitely-not-the-password');
    const toast = page.locator('.xy-problem-toast');
    await toast.waitFor();
    const text = await toast.innerText();
    assert.match(text, /Unauthorized/);
    await shot('wrong-password');
    await expectAccessible(page, 'login with the problem toast');
    assert.match(page.url(), /\/login/);
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    await toast.waitFor({ state: 'detached' });
  });

  test('logging in opens the dashboard, and the System page shows every check healthy', async () => {
    await signIn(email, PASSWORD);
    await page.waitForURL(/\/music$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'System' }).click();

    const database = page.locator('[data-check="database"]');
    const redis = page.locator('[data-check="redis"]');
    await database.waitFor();
    assert.match(await database.innerText(), /database[\s\S]*\bup\b/i);
    assert.match(await redis.innerText(), /redis[\s\S]*\bup\b/i);
    assert.equal(await page.locator('.check.down').count(), 0, 'no check is down');
    await page.getByText('All systems operational').waitFor();

    await page.getByTestId('version').waitFor();
    await page.getByText('Administrators only').waitFor();
    await shot('system-user');
  });

  test('a user generates music by emotion and by topic, and can play it', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Music' }).click();
    await page.waitForURL(/\/music$/);
    await page.locator('[data-emotion="calm"]').click();
    await page.locator('#duration').focus();
    await page.keyboard.press('Home'); // shortest piece (10 s)
    await page.getByTestId('generate').click();

    const player = page.getByTestId('player');
    await player.waitFor({ timeout: 90_000 });
    await page.waitForFunction(
      () => {
        const audio = document.querySelector('[data-testid="player"]');
        return audio instanceof HTMLAudioElement && audio.readyState >= 1 && audio.duration >= 9;
      },
      undefined,
      { timeout: 30_000 },
    );
    assert.match(await page.getByTestId('explanation').innerText(), /calm|tempo|BPM/i);

    await page.getByTestId('mode-topic').click();
    await page.getByTestId('topic').fill('a rainy afternoon in Hangzhou, 杭州的雨天');
    await page.getByTestId('generate').click();
    await page.getByRole('list', { name: 'Your generations' }).locator('li').nth(1).waitFor({ timeout: 90_000 });
    await page.waitForFunction(
      () => {
        const audio = document.querySelector('[data-testid="player"]');
        return audio instanceof HTMLAudioElement && audio.readyState >= 1;
      },
      undefined,
      { timeout: 90_000 },
    );
    await shot('music');
    await expectAccessible(page, 'a generated piece with its player and history');
  });

  test('operator pages are not offered to a regular user, and their URLs answer "admins only"', async () => {
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'AIOps' }).count(), 0);
    await page.goto(`${baseUrl}/aiops`);
    await page.getByText('Administrators only').waitFor();
  });

  test('an admin sees the job queues on the System page', async () => {
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${baseUrl}/login?returnUrl=%2Fsystem`);
    await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.waitForURL(/\/system$/);
    await page.getByText('Job queues', { exact: true }).waitFor();
    const queues = page.locator('table.queues, xy-empty-state:has-text("No queues yet")');
    await queues.first().waitFor();
    await shot('system-admin');

    // From the keyboard: the first Tab stop skips to the content, and Refresh keeps the focus while it is
    // unavailable (a natively disabled button would drop it to the document body in Chromium).
    await page.goto(`${baseUrl}/system`);
    await queues.first().waitFor();
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.localName), 'main');
    await page.keyboard.press('Tab');
    assert.match(await focused(), /Refresh$/);
    const refreshed = page.waitForResponse((response) => response.url().endsWith('/api/health'));
    await page.keyboard.press('Enter');
    await refreshed;
    await page.getByRole('button', { name: 'Refresh' }).and(page.locator(':not([aria-disabled="true"])')).waitFor();
    assert.match(await focused(), /Refresh$/);

    // Operators reach the log explorer; without Elasticsearch it says what to configure instead of failing.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logs' }).click();
    await page.getByText('Log search is not configured').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'System' }).click();
    await page.getByText('Job queues', { exact: true }).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Main menu' }).waitFor();
    await shot('system-phone');
  });
});
