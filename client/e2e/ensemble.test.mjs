// Browser test of the Ensemble page: two replicas of the real server (one PostgreSQL database, one Redis, a shared data
// directory, as the pods' PVC) serving the built SPA, two Chromium contexts (two people), each on another replica, in
// one room. A note played in one page shows in the other's piano roll, the AI accompanist answers the phrase, and the
// session is recorded and downloaded as MIDI and as audio. Run: node --test client/e2e/ (needs /usr/bin/chromium,
// PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379; builds server/client if missing, or always with
// JOURNEY_BUILD=1).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './support/axe.mjs';
import { createDatabase, launchChromium, missing, startPlatform } from './support/server.mjs';

describe('ensemble in the browser', { skip: missing }, () => {
  let database;
  let replicaA;
  let replicaB;
  let browser;
  const logs = [];

  before(async () => {
    database = await createDatabase('ensemble');
    const shared = { DATABASE_URL: database.url, QUEUE_PREFIX: `ensemble-browser-${process.pid}` };
    replicaA = await startPlatform('ensemble-a', shared);
    replicaB = await startPlatform('ensemble-b', { ...shared, DATA_DIR: replicaA.dataDir });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    // B first: it shares A's data directory, which A's stop removes.
    await replicaB?.stop();
    await replicaA?.stop();
    await database?.drop();
  });

  /** A signed-in person on a replica, in a browser context of their own (a session made through the API, as the login page stores it). */
  async function person(name, replica) {
    const response = await fetch(`${replica.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `${name}-${Date.now()}@example.com`, password: 'ensemble-password-1' }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    const session = await response.json();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: replica.baseUrl });
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

  /** Downloads what a link points to (the click the user makes); resolves to the file's name and bytes. */
  async function download(page, link) {
    const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
    return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
  }

  test('two people on two replicas join one room; notes played in one page show in the other, the accompanist answers, the session is downloaded', async () => {
    const alice = await person('alice', replicaA);
    const bob = await person('bob', replicaB);

    await alice.goto('/ensemble');
    await alice.getByRole('heading', { name: 'Start a room' }).waitFor();
    await alice.getByTestId('room-name').fill('Browser jam');
    await alice.getByTestId('new-mode').selectOption('call-response');
    await alice.getByTestId('create-room').click();
    await alice.getByTestId('room').waitFor();
    const code = (await alice.getByTestId('room-code').textContent()).trim();
    assert.match(code, /^[A-HJ-NP-Z2-9]{6}$/);

    // Bob follows the join link, on the other replica.
    await bob.goto(`/ensemble/room/${code}`);
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

    // Alice records a few bars of both of them and the accompanist, and downloads them as MIDI and, once rendered, MP3.
    await alice.getByTestId('record-start').click();
    await alice.getByTestId('record-stop').waitFor();
    const answers = await alice.locator('[data-testid="roll"] rect.ai').count();
    await playPhrase(bob, [64, 65, 67]);
    await playPhrase(alice, [72, 71, 69, 67]);
    await alice.waitForFunction((before) => document.querySelectorAll('[data-testid="roll"] rect.ai').length > before, answers, { timeout: 15_000 });
    await alice.getByTestId('record-stop').click();
    const saved = alice.locator('p.saved');
    await saved.waitFor();
    const midi = await download(alice, saved.getByRole('link', { name: 'MIDI' }));
    assert.match(midi.name, /\.mid$/);
    assert.equal(midi.bytes.subarray(0, 4).toString('latin1'), 'MThd');
    const tracks = midi.bytes.toString('latin1').split('MTrk').length - 1;
    assert.ok(tracks >= 3, `a track for Alice, Bob and the accompanist (${tracks} tracks)`);
    await alice.getByTestId('render-audio').click();
    const mp3Link = saved.getByRole('link', { name: 'MP3' });
    await mp3Link.waitFor({ timeout: 120_000 });
    const mp3 = await download(alice, mp3Link);
    assert.match(mp3.name, /\.mp3$/);
    assert.ok(mp3.bytes.length > 4_000, `the MP3 holds the session (${mp3.bytes.length} bytes)`);
    assert.ok(mp3.bytes.subarray(0, 3).toString('latin1') === 'ID3' || (mp3.bytes[0] === 0xff && (mp3.bytes[1] & 0xe0) === 0xe0), 'an MP3 stream');

    assert.equal(logs.join(''), '', 'no page errors');
  });
});
