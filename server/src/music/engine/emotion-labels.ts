import { EmotionName } from './types';

export const EMOTION_NAMES: readonly EmotionName[] = [
  'happy', 'sad', 'calm', 'tense', 'angry', 'tender', 'excited', 'mysterious',
];

/** How each emotion is shown to people: an English label and the Chinese name (which the API accepts as well). */
export const EMOTION_DISPLAY_NAMES: Readonly<Record<EmotionName, { english: string; chinese: string }>> = {
  happy: { english: 'Happy', chinese: '开心' },
  sad: { english: 'Sad', chinese: '悲伤' },
  calm: { english: 'Calm', chinese: '平静' },
  tense: { english: 'Tense', chinese: '紧张' },
  angry: { english: 'Angry', chinese: '愤怒' },
  tender: { english: 'Tender', chinese: '温柔' },
  excited: { english: 'Excited', chinese: '兴奋' },
  mysterious: { english: 'Mysterious', chinese: '神秘' },
};

/** Synonyms (English lower-case, Chinese as written) → canonical emotion. */
const SYNONYMS: Readonly<Record<string, EmotionName>> = {
  happy: 'happy', joy: 'happy', joyful: 'happy', cheerful: 'happy', glad: 'happy', bright: 'happy', playful: 'happy',
  快乐: 'happy', 开心: 'happy', 高兴: 'happy', 愉快: 'happy', 欢乐: 'happy', 喜悦: 'happy', 快樂: 'happy', 開心: 'happy',
  sad: 'sad', sadness: 'sad', sorrow: 'sad', sorrowful: 'sad', melancholy: 'sad', melancholic: 'sad', gloomy: 'sad', grief: 'sad', depressed: 'sad',
  悲伤: 'sad', 伤心: 'sad', 难过: 'sad', 忧伤: 'sad', 忧郁: 'sad', 悲哀: 'sad', 悲傷: 'sad', 傷心: 'sad',
  calm: 'calm', peaceful: 'calm', relaxed: 'calm', serene: 'calm', tranquil: 'calm', relaxing: 'calm', chill: 'calm',
  平静: 'calm', 安静: 'calm', 宁静: 'calm', 放松: 'calm', 平和: 'calm', 平靜: 'calm',
  tense: 'tense', tension: 'tense', fearful: 'tense', fear: 'tense', scared: 'tense', afraid: 'tense', anxious: 'tense', nervous: 'tense', suspense: 'tense', scary: 'tense',
  紧张: 'tense', 恐惧: 'tense', 害怕: 'tense', 焦虑: 'tense', 不安: 'tense', 紧迫: 'tense', 緊張: 'tense', 恐懼: 'tense',
  angry: 'angry', anger: 'angry', furious: 'angry', rage: 'angry', mad: 'angry', aggressive: 'angry',
  愤怒: 'angry', 生气: 'angry', 气愤: 'angry', 暴怒: 'angry', 愤慨: 'angry', 憤怒: 'angry', 生氣: 'angry',
  tender: 'tender', tenderness: 'tender', gentle: 'tender', loving: 'tender', warm: 'tender', romantic: 'tender', affectionate: 'tender', sweet: 'tender',
  温柔: 'tender', 温馨: 'tender', 柔和: 'tender', 深情: 'tender', 浪漫: 'tender', 溫柔: 'tender',
  excited: 'excited', exciting: 'excited', energetic: 'excited', thrilled: 'excited', euphoric: 'excited', ecstatic: 'excited', epic: 'excited',
  兴奋: 'excited', 激动: 'excited', 激昂: 'excited', 热烈: 'excited', 振奋: 'excited', 興奮: 'excited', 激動: 'excited',
  mysterious: 'mysterious', mystery: 'mysterious', mystic: 'mysterious', mystical: 'mysterious', eerie: 'mysterious', enigmatic: 'mysterious', dreamy: 'mysterious',
  神秘: 'mysterious', 奥秘: 'mysterious', 诡秘: 'mysterious', 玄妙: 'mysterious', 奇幻: 'mysterious',
  // The platform's own recognisers' labels (multimodal analyze: a fused emotion can be sent on as it is), as the topic
  // analyser maps them, and common noun forms.
  neutral: 'calm', surprised: 'excited', surprise: 'excited', disgusted: 'angry', disgust: 'angry', bored: 'calm',
  happiness: 'happy', excitement: 'excited', calmness: 'calm', love: 'tender', fright: 'tense', 惊讶: 'excited', 轻松: 'calm',
  温暖: 'tender', 恐怖: 'tense', 厌恶: 'angry', 中性: 'calm',
};

/** Canonical emotion for an English or Chinese label (case-insensitive, synonyms accepted); undefined if unknown. */
export function resolveEmotionLabel(label: string): EmotionName | undefined {
  if (typeof label !== 'string') return undefined;
  const key = label.trim().toLowerCase();
  return Object.hasOwn(SYNONYMS, key) ? SYNONYMS[key] : undefined;
}
