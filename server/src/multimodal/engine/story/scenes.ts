/**
 * A story → scenes: its paragraphs, with paragraphs too short to carry a mood joined to the next one and long
 * paragraphs (or a story written as one block) cut at sentence ends into pieces of about SCENE_CHARS characters.
 */

export interface SceneSpan {
  index: number;
  text: string;
  /** Character offsets of the scene in the story (end exclusive). */
  start: number;
  end: number;
}

/** Longest story accepted (characters). */
export const MAX_STORY_CHARS = 20_000;
/** Most scenes a story is cut into (longer stories get longer scenes). */
export const MAX_SCENES = 40;
/** Shorter pieces join a neighbour (a short sentence can carry a mood; a fragment cannot). */
const MIN_SCENE_CHARS = 15;

/** A Chinese character carries about as much as four Latin letters of English. */
function weight(text: string): number {
  const han = text.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  return han * 4 + (text.length - han);
}

/** Sentence ends (English . ! ? and Chinese 。！？…, with closing quotes) as offsets just after them. */
function sentenceEnds(text: string, from: number, to: number): number[] {
  const ends: number[] = [];
  const re = /[.!?。！？…]+["'”’」』)）]*\s*/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const end = Math.min(to, m.index + m[0].length);
    if (end < to) ends.push(end);
  }
  return ends;
}

function paragraphs(story: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g;
  for (let m = re.exec(story); m; m = re.exec(story)) if (m[0].trim()) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** Characters as the request's validation counts them (code points: an emoji is one, not two UTF-16 units). */
function characters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export function splitScenes(story: string): SceneSpan[] {
  if (typeof story !== 'string' || !story.trim()) throw new RangeError('the story is empty');
  if (characters(story) > MAX_STORY_CHARS) throw new RangeError(`the story is longer than ${MAX_STORY_CHARS} characters`);
  const total = weight(story);
  // Aim for at least 6 scenes when the story allows it, at most MAX_SCENES.
  const target = Math.max(MIN_SCENE_CHARS * 2, Math.min(600, total / 6), total / MAX_SCENES);
  const pieces: [number, number][] = [];
  for (const [start, end] of paragraphs(story)) {
    if (weight(story.slice(start, end)) <= target * 1.5) {
      pieces.push([start, end]);
      continue;
    }
    let from = start;
    for (const cut of sentenceEnds(story, start, end)) {
      if (weight(story.slice(from, cut)) >= target) {
        pieces.push([from, cut]);
        from = cut;
      }
    }
    if (from < end) pieces.push([from, end]);
  }
  // Join pieces too short to read a mood from to the following one (the last joins the previous one).
  const joined: [number, number][] = [];
  for (const piece of pieces) {
    const last = joined[joined.length - 1];
    if (last && weight(story.slice(last[0], last[1])) < MIN_SCENE_CHARS) last[1] = piece[1];
    else joined.push([...piece]);
  }
  if (joined.length > 1 && weight(story.slice(...joined[joined.length - 1])) < MIN_SCENE_CHARS) {
    const tail = joined.pop()!;
    joined[joined.length - 1][1] = tail[1];
  }
  while (joined.length > MAX_SCENES) {
    // Merge the shortest neighbouring pair until the cap holds.
    let best = 0;
    for (let i = 1; i < joined.length - 1; i++) if (joined[i + 1][1] - joined[i][0] < joined[best + 1][1] - joined[best][0]) best = i;
    joined.splice(best, 2, [joined[best][0], joined[best + 1][1]]);
  }
  return joined.map(([start, end], index) => {
    const raw = story.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    return { index, text, start: start + lead, end: start + lead + text.length };
  });
}
