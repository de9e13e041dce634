// Accessibility check of the dashboard: axe-core (Deque's WCAG rules engine) run in Debian Chromium on every page of
// the real app, as an operator sees it (admin: the operator pages too), on a desktop and a phone viewport, and in the
// states a user reaches (a room open, a mood analysed, an exercise on screen). Any WCAG 2.1 A/AA violation fails.
// The other browser tests run the same check on the states they reach (a set story, an incident, a room in play).
// Run: node --test client/e2e/accessibility.test.mjs   (needs /usr/bin/chromium and Redis on 127.0.0.1:6379; builds
// server/client if missing, or always with JOURNEY_BUILD=1)
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './support/axe.mjs';
import { launchChromium, missing, startPlatform } from './support/server.mjs';

const ADMIN = { email: 'a11y-admin@example.com', password: 'a11y-admin-password-1' };
const PAGES = ['music', 'tutor', 'ensemble', 'multimodal', 'multimodal/stories', 'logs', 'aiops', 'system'];

describe('accessibility (axe-core, WCAG 2.1 A and AA)', { skip: missing }, () => {
  let platform;
  let browser;
  let serverLogs = [];

  before(async () => {
    platform = await startPlatform('a11y', { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    serverLogs = platform.logs;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** A signed-in page at a viewport (the login form checked on the way). */
  async function signedIn(viewport) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => serverLogs.push(`[browser] ${error.message}\n`));
    await page.goto(`${platform.baseUrl}/login`);
    await expectAccessible(page, 'login');
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/music$/);
    return page;
  }

  async function visit(page, route) {
    await page.goto(`${platform.baseUrl}/${route}`);
    await page.locator('h1').first().waitFor();
    // Each page loads its data after it renders; wait for the requests to settle.
    await page.waitForLoadState('networkidle');
  }

  /** A room the page's user starts, checked, then left. */
  async function checkRoom(page, name) {
    await visit(page, 'ensemble');
    await page.getByTestId('create-room').click();
    await page.getByTestId('room').waitFor();
    await expectAccessible(page, name);
    await page.getByRole('button', { name: 'Leave' }).click();
  }

  /** The tutor's next exercise on screen, checked. */
  async function checkExercise(page, name) {
    await visit(page, 'tutor');
    await page.getByRole('button', { name: /Next exercise/ }).click();
    await page.locator('#exercise-title').waitFor();
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, name);
  }

  test('every page on a desktop screen', async () => {
    const page = await signedIn({ width: 1280, height: 900 });
    for (const route of PAGES) {
      await visit(page, route);
      await expectAccessible(page, route);
    }
    await page.context().close();
  });

  test('the states a user reaches: a room open, a mood analysed, an exercise on screen', async () => {
    const page = await signedIn({ width: 1280, height: 900 });
    await checkRoom(page, 'ensemble room');

    await visit(page, 'multimodal');
    await page.getByLabel(/How do you feel/).fill('I finally passed my driving test and I am so happy!');
    await page.getByTestId('analyze').click();
    await page.getByTestId('affect-text').waitFor({ timeout: 60_000 });
    await expectAccessible(page, 'mood analysed');

    await checkExercise(page, 'tutor exercise');
    await page.context().close();
  });

  test('every page on a phone, a room open, an exercise and the navigation drawer', async () => {
    const page = await signedIn({ width: 390, height: 844 });
    for (const route of PAGES) {
      await visit(page, route);
      await expectAccessible(page, `${route} (phone)`);
    }
    await checkRoom(page, 'ensemble room (phone)');
    await checkExercise(page, 'tutor exercise (phone)');
    await page.getByRole('button', { name: 'Main menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tutor' }).waitFor();
    await expectAccessible(page, 'navigation drawer (phone)');
    await page.context().close();
  });
});
