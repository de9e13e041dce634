// Browser test of the Multimodal page: the real server (embedded PGlite, local Redis, the real models) serving the
// built SPA, driven by Debian Chromium. A user types a line and sees the text bars and the fused mood; on a phone, takes
// a snapshot with the camera, records a sentence and types a line, sees each reading and their fusion and makes music
// from the mood; then sets a story to music and sees its arc chart, its timeline and the scene that plays highlighted.
// Run: node --test client/e2e/multimodal.test.mjs   (needs /usr/bin/chromium and Redis on 127.0.0.1:6379; builds
// server/client if missing, or always with JOURNEY_BUILD=1)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './support/axe.mjs';
import { launchChromium, missing, startPlatform } from './support/server.mjs';
import { roomFloor, wavFile } from './support/wav.mjs';

const SCREENSHOT_DIR = process.env.JOURNEY_SCREENSHOT_DIR ?? tmpdir();
const PASSWORD = 'multimodal-password-1';
const STORY = [
  'The village was poor and grey, and the long winter made everyone sad and tired.',
  'One cold morning the old well dried up, and the children cried with hunger.',
  'Then a girl found a strange golden seed in the snow and planted it by the river.',
  'In spring the seed grew into a great tree full of fruit, and the whole valley bloomed.',
  'Everyone danced and sang together, happy and grateful, and the village was never poor again.',
].join('\n\n');

const SAMPLE_RATE = 48_000;

/**
 * A spoken-like take for the fake microphone: eight syllables of a voiced source (the harmonics of a pitch that rises
 * and falls over the phrase and falls in each syllable, shaped by two vowel resonances) with pauses, over a room floor.
 */
function spokenWav() {
  const samples = roomFloor(4, SAMPLE_RATE);
  const vowels = [
    [700, 1220],
    [300, 2300],
    [500, 900],
    [400, 2000],
  ];
  let start = 0.4;
  for (let syllable = 0; syllable < 8; syllable++) {
    const duration = 0.16 + 0.08 * (syllable % 3);
    const [f1, f2] = vowels[syllable % vowels.length];
    const first = Math.round(start * SAMPLE_RATE);
    let phase = 0;
    for (let k = 0; k < duration * SAMPLE_RATE; k++) {
      const t = k / SAMPLE_RATE;
      const f0 = 150 + 40 * Math.sin((Math.PI * (start + t)) / 3.2) - (30 * t) / duration;
      phase += (2 * Math.PI * f0) / SAMPLE_RATE;
      let voiced = 0;
      for (let h = 1; h * f0 < 4000; h++) {
        const f = h * f0;
        voiced += ((1 / (1 + ((f - f1) / 150) ** 2) + 0.6 / (1 + ((f - f2) / 200) ** 2) + 0.05) / h) * Math.sin(h * phase);
      }
      samples[first + k] += 0.3 * Math.sqrt(Math.sin((Math.PI * t) / duration)) * voiced;
    }
    start += duration + 0.06 + 0.05 * (syllable % 2);
  }
  return wavFile(samples, SAMPLE_RATE);
}

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

    // The fake camera shows Chromium's test pattern (no face in it); the fake microphone says spokenWav().
    const wavPath = join(platform.dataDir, 'fake-microphone.wav');
    writeFileSync(wavPath, spokenWav());
    browser = await launchChromium([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${wavPath}`,
      '--autoplay-policy=no-user-gesture-required',
    ]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => serverLogs.push(`[browser] ${error.message}\n`));

    await signIn(page);
  });

  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  async function signIn(on) {
    await on.goto(`${baseUrl}/login`);
    await on.getByLabel('E-mail').fill(email);
    await on.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await on.getByRole('button', { name: 'Sign in' }).click();
    await on.waitForURL(/\/music$/);
  }

  async function shot(name, on = page) {
    await on.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
    await on.screenshot({ path: join(SCREENSHOT_DIR, `xiaoyu-multimodal-${name}.png`), fullPage: true });
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

  test('on a phone: a snapshot, a recorded sentence and a typed line are each read and fused, and music comes from the mood', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await context.grantPermissions(['camera', 'microphone'], { origin: baseUrl });
    const phone = await context.newPage();
    phone.setDefaultTimeout(20_000);
    phone.on('pageerror', (error) => serverLogs.push(`[browser] ${error.message}\n`));
    await signIn(phone);
    await phone.goto(`${baseUrl}/multimodal`);

    await phone.getByTestId('camera').click();
    await phone.getByTestId('snapshot').click();
    await phone.getByTestId('clear-image').waitFor();
    await phone.getByTestId('record').click();
    await phone.getByText(/Recording… [2-9]/).waitFor({ timeout: 10_000 });
    await phone.getByTestId('record').click();
    await phone.getByRole('region', { name: 'Voice' }).locator('audio').waitFor();
    await phone.getByLabel(/How do you feel/).fill('I am so happy and grateful today, everything went wonderfully!');
    await phone.getByTestId('analyze').click();

    for (const modality of ['face', 'voice', 'text']) await phone.getByTestId(`affect-${modality}`).waitFor({ timeout: 60_000 });
    // The test pattern has no face: the whole picture is read, and the page says so.
    assert.match(await phone.getByRole('heading', { name: /^Face/ }).innerText(), /no face found/);
    const weights = await Promise.all(
      ['face', 'voice', 'text'].map(async (m) => Number((await phone.getByTestId(`weight-${m}`).innerText()).replace('%', ''))),
    );
    assert.ok(
      weights.every((w) => w > 0),
      `every modality weighs in (${weights.join(' / ')} %)`,
    );
    assert.ok(Math.abs(weights.reduce((a, b) => a + b) - 100) <= 1, `the weights add up to 100% (${weights.join(' / ')})`);
    assert.match(await phone.getByTestId('disagreement').innerText(), /disagree/i);
    await expectAccessible(phone, 'a mood from a snapshot, a recording and a line, on a phone');

    await phone.getByTestId('make-music').click();
    await phone.getByTestId('piece-audio').waitFor({ timeout: 150_000 });
    assert.match(
      await phone.locator('p', { hasText: 'A piece in' }).innerText(),
      /^A piece in [A-G][#b]? (major|minor|\w+) at \d+ BPM for valence -?\d\.\d\d, arousal -?\d\.\d\d\.$/,
    );
    await shot('mood-phone', phone);
    await context.close();
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
