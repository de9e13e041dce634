// Browser test of the Tutor page's microphone path: the real server (embedded PGlite, local Redis) serving the built SPA,
// Debian Chromium with a fake microphone that plays a WAV this test synthesises from a play-back exercise's melody.
// The page records it through its AudioWorklet, shows the live pitch needle, uploads the WAV and shows per-note verdicts.
// Run: node --test client/e2e/tutor.test.mjs   (needs /usr/bin/chromium and Redis on 127.0.0.1:6379; builds server/client
// if missing, or always with JOURNEY_BUILD=1). Prints the live pitch keep-up figures.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { expectAccessible } from './support/axe.mjs';
import { launchChromium, missing, startPlatform } from './support/server.mjs';
import { roomFloor, wavFile } from './support/wav.mjs';

const SCREENSHOT_DIR = process.env.JOURNEY_SCREENSHOT_DIR ?? tmpdir();
const PASSWORD = 'tutor-password-1';
const SAMPLE_RATE = 48_000;
const LEAD_IN_SEC = 1.0;

/**
 * A sung-like take of `melody` ({ pitch, start, duration } in s): harmonic tones with 5.5 Hz vibrato, soft attacks and a
 * little noise, after LEAD_IN_SEC of near-silence, as a 16-bit mono WAV (what Chromium's fake capture plays, looping).
 */
function melodyWav(melody, tailSec = 4) {
  const end = LEAD_IN_SEC + Math.max(...melody.map((n) => n.start + n.duration)) + tailSec;
  const samples = roomFloor(end, SAMPLE_RATE);
  for (const note of melody) {
    const f0 = 440 * 2 ** ((note.pitch - 69) / 12);
    const first = Math.round((LEAD_IN_SEC + note.start) * SAMPLE_RATE);
    const count = Math.round(note.duration * 0.92 * SAMPLE_RATE);
    let phase = 0;
    for (let k = 0; k < count; k++) {
      const t = k / SAMPLE_RATE;
      const envelope = Math.min(1, t / 0.04) * Math.min(1, (note.duration * 0.92 - t) / 0.05);
      phase += (2 * Math.PI * f0 * 2 ** ((0.25 * Math.sin(2 * Math.PI * 5.5 * t)) / 12)) / SAMPLE_RATE;
      samples[first + k] += 0.25 * envelope * (Math.sin(phase) + 0.6 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase) + 0.15 * Math.sin(4 * phase));
    }
  }
  return wavFile(samples, SAMPLE_RATE);
}

describe('tutor: singing into the microphone', { skip: missing }, () => {
  let platform;
  let browser;
  let page;
  let baseUrl;
  let session;
  let exercise;
  let serverLogs = [];
  const email = `tutor-${Date.now()}@example.com`;

  async function api(path, init = {}) {
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(session ? { authorization: `Bearer ${session.accessToken}` } : {}), ...init.headers },
    });
    const body = await response.json();
    assert.ok(response.ok, `${path}: ${response.status} ${JSON.stringify(body)}`);
    return body;
  }

  before(async () => {
    platform = await startPlatform('tutor-browser');
    ({ baseUrl, logs: serverLogs } = platform);

    // The learner and the exercise: its melody is what the fake microphone will sing.
    session = await api('/api/auth/register', { method: 'POST', body: JSON.stringify({ email, password: PASSWORD }) });
    exercise = await api('/api/tutor/exercises/next', { method: 'POST', body: JSON.stringify({ skillId: 'play-back.1' }) });
    assert.equal(exercise.answerFormat, 'recording');
    const wavPath = join(platform.dataDir, 'fake-microphone.wav');
    writeFileSync(wavPath, melodyWav(exercise.melody));

    browser = await launchChromium([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${wavPath}`,
      '--autoplay-policy=no-user-gesture-required',
    ]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['microphone'], { origin: baseUrl });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => serverLogs.push(`[browser] ${error.message}\n`));
  });

  after(async () => {
    await browser?.close();
    await platform?.stop();
  });

  test('a sung melody goes in through the microphone; per-note verdicts, feedback and the next step come out on the page', async () => {
    await page.goto(`${baseUrl}/login?returnUrl=${encodeURIComponent(`/tutor?exercise=${exercise.id}`)}`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/tutor\?exercise=/);
    await page.getByTestId('prompt').waitFor();
    await page.locator('xy-staff-view svg').first().waitFor();

    await page.getByTestId('record-start').click();
    await page.getByTestId('record-stop').waitFor();
    // Record turned into Stop where it was: the keyboard focus is still on it.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'record-stop');
    // The needle moves while the fake microphone sings.
    await page.waitForFunction(() => /[A-G]#?\d/.test(document.querySelector('.needle-note')?.textContent ?? ''), undefined, { timeout: 15_000 });
    const melodyEnd = Math.max(...exercise.melody.map((n) => n.start + n.duration));
    await page.waitForTimeout((LEAD_IN_SEC + melodyEnd + 1.2) * 1000);
    const keepUp = await page.getByTestId('recorder').evaluate((el) => ({
      frames: Number(el.getAttribute('data-frames')),
      audioSec: Number(el.getAttribute('data-audio-sec')),
      meanMs: Number(el.getAttribute('data-mean-ms')),
      maxMs: Number(el.getAttribute('data-max-ms')),
      sampleRate: Number(el.getAttribute('data-sample-rate')),
      backlogMs: Number(el.getAttribute('data-backlog-ms')),
    }));
    await page.getByTestId('record-stop').click();

    const verdicts = page.getByTestId('verdicts').locator('li');
    await verdicts.first().waitFor({ timeout: 60_000 });
    const items = await verdicts.evaluateAll((lis) => lis.map((li) => ({ verdict: li.getAttribute('data-verdict'), text: li.textContent.trim() })));
    const stats = await page.getByTestId('recorder').count();
    assert.equal(stats, 0, 'the recorder gives way to the result');
    assert.equal(items.length, exercise.melody.length, 'one verdict per reference note');
    assert.deepEqual(
      items.map((i) => i.verdict),
      exercise.melody.map(() => 'correct'),
      `verdicts: ${JSON.stringify(items)}`,
    );
    assert.match(items[0].text, /^Note 1 \([A-G]#?\d\): correct/);
    assert.ok((await page.getByTestId('feedback').innerText()).length > 10);
    assert.match(await page.getByTestId('next-step').innerText(), /Next:/);
    // The staff shows the notes in the verdict colours.
    assert.ok((await page.locator('xy-staff-view [data-verdict="correct"]').count()) >= exercise.melody.length);
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'xiaoyu-tutor-result.png'), fullPage: true });
    await expectAccessible(page, 'a sung exercise with its verdicts');

    // Live pitch keep-up: every worklet chunk was analysed, within its own duration.
    const chunkMs = (2048 / keepUp.sampleRate) * 1000;
    console.log(
      `live pitch: ${keepUp.frames} chunks analysed for ${keepUp.audioSec.toFixed(2)} s of audio ` +
        `at ${keepUp.sampleRate} Hz (${((keepUp.frames * 2048) / keepUp.sampleRate / Math.max(keepUp.audioSec, 1e-9)).toFixed(3)} of it), ` +
        `${keepUp.meanMs.toFixed(2)} ms mean / ${keepUp.maxMs.toFixed(2)} ms worst per ${chunkMs.toFixed(1)} ms chunk, ` +
        `worst backlog behind the audio clock ${keepUp.backlogMs.toFixed(0)} ms`,
    );
    assert.ok(keepUp.frames > 0 && keepUp.audioSec > melodyEnd, 'the needle followed the take');
    assert.ok(keepUp.maxMs < chunkMs, 'each pitch estimate took less time than the audio it covers');
    assert.ok(keepUp.backlogMs < 4 * chunkMs, `the needle kept up with the audio clock (backlog ${keepUp.backlogMs.toFixed(0)} ms)`);

    // The attempt counted: the plan and progress show it.
    const progress = await api('/api/tutor/progress');
    assert.equal(progress.attempts, 1);
  });
});
