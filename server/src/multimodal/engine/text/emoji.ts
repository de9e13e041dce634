/**
 * Emoji that show a feeling, spelled as the word each language's reading knows (as VADER reads emoji through their
 * descriptions): neither EmoBank nor the Chinese word list has emoji, so "😭😭" read as nothing at all. Face emoji
 * and hearts only, whose meaning is plain; the list is the project's own. Weibo's bracket codes ([泪], [怒]) are cues
 * of their own (chinese-labels.ts).
 */
import type { TextLanguage } from '../types';

const EMOJI: readonly (readonly [emoji: string, en: string, zh: string])[] = [
  ['😀 😃 😄 😁 😆 😊 🙂 ☺ 😇 😋 😎 🤗 😸 😺', 'happy', '开心'],
  ['😂 🤣 😹', 'haha', '哈哈'],
  ['😍 🥰 😘 😻 ❤ 💕 💖 💗 💓 💞', 'love', '喜欢'],
  ['🥳 🎉 🎊', 'celebrate', '庆祝'],
  ['😢 😞 😔 😟 🙁 ☹ 😿 🥺', 'sad', '难过'],
  ['😭', 'crying', '哭'],
  ['💔', 'heartbroken', '心碎'],
  ['😠 😡 👿 💢 😤', 'angry', '生气'],
  ['🤬', 'furious', '气死'],
  ['😒 🙄', 'annoyed', '烦人'],
  ['😨 😰 😧 😦', 'scared', '害怕'],
  ['😱 🙀', 'terrified', '吓死'],
  ['🤢', 'disgusting', '恶心'],
  ['🤮', 'vomit', '想吐'],
  ['😮 😯 😲', 'wow', '惊讶'],
  ['🤯', 'shocked', '震惊'],
];

const WORDS = new Map<string, { en: string; zh: string }>(EMOJI.flatMap(([emoji, en, zh]) => emoji.split(' ').map((e) => [e, { en, zh }] as const)));
/** A pictograph and the variation selector or skin tone that may follow it. */
const PICTOGRAPH = /(\p{Extended_Pictographic})(?:\u{FE0F}|\u{1F3FB}|\u{1F3FC}|\u{1F3FD}|\u{1F3FE}|\u{1F3FF})?/gu;

/** The text with every listed emoji replaced by its word in `language` (other emoji are left as they are). */
export function spellEmoji(text: string, language: TextLanguage): string {
  return text.replace(PICTOGRAPH, (match: string, emoji: string) => {
    const word = WORDS.get(emoji);
    if (!word) return match;
    return language === 'zh' ? word.zh : ` ${word.en} `;
  });
}
