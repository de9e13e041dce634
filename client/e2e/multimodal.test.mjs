// Browser test of the Multimodal page: the real server (embedded PGlite, local Redis, the real models) serving the
// built SPA, driven by Debian Chromium. A user types a line and sees the text bars and the fused mood; then sets a
// story to music and sees its arc chart, its timeline and the scene that plays highlighted.
// Run: node --test client/e2e/multimodal.test.mjs   (needs /usr/bin/chromium and Redis on 127.0.0.1:6379; builds
// server/client if missing, or always with JOURNEY_BUILD=1)
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './support/axe.mjs';
import { launchChromium, missing, startPlatform } from './support/server.mjs';

const SCREENSHOT_DIR = process.env.JOURNEY_SCREENSHOT_DIR ?? tmpdir();
const PASSWORD = 'multimodal-password-1';
const STORY = [
  'The village was poor and grey, and the long winter made everyone sad and tired.',
  'One cold morning the old well dried up, and the children cried with hunger.',
  'Then a girl found a strange golden seed in the snow and planted it by the river.',
  'In spring the seed grew into a great tree full of fruit, and the whole valley bloomed.',
  'Everyone danced and sang together, happy and grateful, and the village was never poor again.',
].join('\n\n');

describe('multimodal page', { skip: missing }, () => {
  let platform;
  let browser;
  let page;
  let baseUrl;
  let serverLogs = [];
  const email = `multimodal-${Date.now()}@example.com`;

  before(async () => {
    platform = await startPlatform('multimodal');
    ({ baseUrl, logs: serverLogs } = platform);

    const registered = await fetch(`${baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    assert.equal(registered.status, 201, await registered.text());

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => serverLogs.push(`[browser] ${error.message}\n`));

    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/music$/);
  });

  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function shot(name) {
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
    await page.screenshot({ path: join(SCREENSHOT_DIR, `xiaoyu-multimodal-${name}.png`), fullPage: true });
  }

  test('typing a line shows the text bars and the fused mood, each with valence and arousal', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Multimodal' }).click();
    await page.waitForURL(/\/multimodal$/);
    const analyse = page.getByTestId('analyze');
    assert.equal(await analyse.getAttribute('aria-disabled'), 'true', 'nothing to analyse yet');

    await page.getByLabel(/How do you feel/).fill('I am so happy and grateful today, everything went wonderfully!');
    await analyse.click();

    const text = page.getByTestId('affect-text');
    await text.waitFor({ timeout: 60_000 });
    assert.match(await text.innerText(), /happy/i);
    assert.match(await page.getByText('(English)').innerText(), /English/);
    const valence = Number(await page.getByTestId('text-valence').innerText());
    assert.ok(valence > 0.2, `a happy line reads positive (valence ${valence})`);

    const fused = page.getByTestId('fused');
    assert.match(await fused.innerText(), /happy/i);
    assert.equal(await page.getByTestId('weight-text').innerText(), '100%');
    assert.match(await page.getByTestId('disagreement').innerText(), /Disagreement 0%/);
    assert.equal(await page.getByRole('meter', { name: 'Valence' }).count(), 2, 'valence bars for text and fused');
    await shot('mood');
  });

  test('a blank line cannot be sent', async () => {
    await page.getByLabel(/How do you feel/).fill('   ');
    assert.equal(await page.getByTestId('analyze').getAttribute('aria-disabled'), 'true');
  });

  test('a story becomes a piece: job progress, the arc chart, the timeline, and the scene that plays is highlighted', async () => {
    await page.getByRole('tab', { name: 'Storyteller' }).click();
    await page.waitForURL(/\/multimodal\/stories$/);
    await page.getByLabel(/Paste or type a story/).fill(STORY);
    await page.getByTestId('tell').click();

    await page.getByTestId('story-progress').waitFor();
    const chart = page.getByTestId('arc-chart');
    await chart.locator('canvas').waitFor({ timeout: 150_000 });
    const shape = await page.getByTestId('arc-shape').innerText();
    assert.match(shape, /^(rags to riches|tragedy|man in a hole|icarus|cinderella|oedipus)$/);

    const scenes = page.locator('[data-testid="scenes"] .scene');
    const sceneCount = await scenes.count();
    assert.ok(sceneCount >= 2, `the story has scenes (${sceneCount})`);
    const timeline = page.getByTestId('timeline').locator('li');
    assert.equal(await timeline.count(), sceneCount, 'every scene has its time');

    // The audio loads; moving it into the second scene's time highlights that scene.
    await page.waitForFunction(
      () => {
        const audio = document.querySelector('[data-testid="story-audio"]');
        return audio instanceof HTMLAudioElement && audio.readyState >= 1 && audio.duration > 10;
      },
      undefined,
      { timeout: 30_000 },
    );
    await page.locator('[data-scene="1"]').click();
    await page.locator('.scene.current[data-scene="1"]').waitFor();
    assert.equal(await page.locator('[data-scene="1"]').getAttribute('aria-current'), 'true');
    const time = await page.evaluate(() => document.querySelector('[data-testid="story-audio"]').currentTime);
    assert.ok(time > 0, `the audio moved to the second scene (${time} s)`);
    assert.match(await timeline.nth(1).getAttribute('class'), /current/);
    await shot('story');
    await expectAccessible(page, 'storyteller with a story set to music');

    await page.getByRole('list', { name: 'Your stories' }).getByText('The village was poor and grey').waitFor();
  });
});
