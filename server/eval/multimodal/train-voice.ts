/**
 * npm run train:multimodal-voice
 *
 * Extracts the voice features of every emodb-dev clip, measures the classifier leaving one speaker out (and fits the
 * softmax temperature on those held-out predictions), then fits it on all seven speakers and writes
 * src/multimodal/engine/models/voice.json (EmoDB: free from its authors, CC0-1.0 as republished by audEERING).
 * Only learned parameters are written, never audio.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMODB_DIR, loadEmoDb } from './datasets';
import { classScores } from './metrics';
import { extractExamples, fitTemperature, leaveOneSpeakerOut, predictedLabel, trainVoiceModel, VOICE_L2, VOICE_LABELS } from './voice-training';

const OUT = join(__dirname, '../../src/multimodal/engine/models/voice.json');

function main(): void {
  const clips = loadEmoDb();
  if (!clips) {
    console.log(`SKIPPED: ${EMODB_DIR} not found (set MULTIMODAL_DATASETS_DIR).`);
    return;
  }
  const examples = extractExamples(clips);
  const held = leaveOneSpeakerOut(examples, { l2: VOICE_L2 });
  const scores = classScores(
    held.map((p) => p.example.label),
    held.map((p) => predictedLabel(p.logits)),
    VOICE_LABELS,
  );
  const temperature = fitTemperature(held);
  const model = trainVoiceModel(examples, { l2: VOICE_L2 }, temperature);
  const speakers = new Set(clips.map((c) => c.speaker)).size;
  model.trainedOn = `EmoDB (Burkhardt et al. 2005; free from its authors, CC0-1.0 as republished by audEERING): ${examples.length} clips of ${speakers} speakers (emodb-dev: 03 08 09 10 11 12 13)`;
  model.metrics = { clips: examples.length, speakers, losoAccuracy: round(scores.accuracy), losoUar: round(scores.uar), temperature };
  writeFileSync(OUT, `${JSON.stringify(model)}\n`);
  console.log(
    `voice: leave-one-speaker-out accuracy ${(100 * scores.accuracy).toFixed(1)}%, UAR ${(100 * scores.uar).toFixed(1)}%, temperature ${temperature} → ${OUT}`,
  );
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

main();
