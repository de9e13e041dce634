// Browser test of the Ensemble page: the real server (embedded PGlite, local Redis) serving the built SPA, two
// Chromium contexts (two people) in one room. A note played in one page shows in the other's piano roll, and the AI
// accompanist answers the phrase. Run: node --test client/e2e/ (needs /usr/bin/chromium and Redis on 127.0.0.1:6379;
// builds server/client if missing, or always with JOURNEY_BUILD=1).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './support/axe.mjs';
import { launchChromium, missing, startPlatform } from './support/server.mjs';

describe('ensemble in the browser', { skip: missing }, () => {
  let platform;
  let browser;
  let baseUrl;
  let logs = [];

  before(async () => {
    platform = await startPlatform('ensemble-browser');
    ({ baseUrl, logs } = platform);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** A signed-in person in a browser context of their own (a session made through the API, as the login page stores it). */
  async function person(name) {
    const response = await fetch(`${baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${name}-${Date.now()}@example.com`, password: 'ensemble-password-1' }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const session = await response.json();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript((value) => localStorage.setItem('xiaoyu.session', value), JSON.stringify(session));
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => logs.push(`[${name}] ${error.message}\n`));
    return page;
  }

  async function playPhrase(page, pitches) {
    for (const pitch of pitches) {
      const key = page.locator(`[data-testid="keyboard"] [data-pitch="${pitch}"]`);
      await key.dispatchEvent('pointerdown');
      await page.waitForTimeout(150);
      await key.dispatchEvent('pointerup');
      await page.waitForTimeout(50);
    }
  }

  test('two people join one room; notes played in one page show in the other, and the accompanist answers', async () => {
    const alice = await person('alice');
    const bob = await person('bob');

    await alice.goto(`${baseUrl}/ensemble`);
    await alice.getByRole('heading', { name: 'Start a room' }).waitFor();
    await alice.getByTestId('room-name').fill('Browser jam');
    await alice.getByTestId('new-mode').selectOption('call-response');
    await alice.getByTestId('create-room').click();
    await alice.getByTestId('room').waitFor();
    const code = (await alice.getByTestId('room-code').textContent()).trim();
    assert.match(code, /^[A-HJ-NP-Z2-9]{6}$/);

    // Bob follows the join link.
    await bob.goto(`${baseUrl}/ensemble/room/${code}`);
    await bob.getByTestId('room').waitFor();
    await alice
      .getByTestId('members')
      .getByText(/bob-/)
      .waitFor()
      .catch(async (error) => {
        throw new Error(
          `${error.message}\nAlice's members: ${await alice.getByTestId('members').textContent()}\nBob's: ${await bob.getByTestId('members').textContent()}`,
        );
      });
    await bob.getByTestId('members').getByText('AI accompanist').waitFor();

    await playPhrase(alice, [60, 62, 64, 65, 67]);
    // Bob sees Alice's notes on his piano roll...
    await bob.waitForFunction(() => document.querySelectorAll('[data-testid="roll"] rect.other').length >= 5);
    // ...and the accompanist's answer reaches both of them.
    await bob.waitForFunction(() => document.querySelectorAll('[data-testid="roll"] rect.ai').length >= 1, null, { timeout: 15_000 });
    await alice.waitForFunction(() => document.querySelectorAll('[data-testid="roll"] rect.ai').length >= 1, null, { timeout: 15_000 });

    // Twenty note events from Alice: Bob's page measures how late they reached him and shows (and reports) it.
    await playPhrase(alice, [67, 65, 64, 62, 60]);
    await bob.waitForFunction(
      () => /Their notes reach you within [\d.]+ ms/.test(document.querySelector('[data-testid="playout-delay"]')?.textContent ?? ''),
      null,
      { timeout: 15_000 },
    );
    const withinMs = Number((await bob.getByTestId('playout-delay').textContent()).match(/within ([\d.]+) ms/)[1]);
    assert.ok(withinMs >= 0 && withinMs < 150, `notes reached Bob within ${withinMs} ms on loopback`);
    await expectAccessible(bob, 'a room in play (members, piano roll, keyboard)');

    // The computer keyboard plays too: A is C4 for Bob, and Alice sees it.
    await bob.locator('body').click({ position: { x: 5, y: 5 } });
    await bob.keyboard.down('KeyA');
    await bob.waitForTimeout(100);
    await bob.keyboard.up('KeyA');
    await alice.waitForFunction(() => document.querySelectorAll('[data-testid="roll"] rect.other').length >= 1);

    assert.equal(logs.filter((l) => l.startsWith('[')).join(''), '', 'no page errors');
  });
});
