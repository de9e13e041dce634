import type { TextLanguage } from '../types';

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
const LATIN = /[A-Za-z]/g;

/**
 * Chinese when Han characters make up at least a fifth of the letters (a Chinese sentence with an English word or
 * two is still Chinese; an English one quoting a Chinese name is not), otherwise English.
 */
export function detectLanguage(text: string): TextLanguage {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  // A Han character carries about as much as a short English word, hence the weight.
  return han > 0 && (3 * han) / (3 * han + latin) >= 0.2 ? 'zh' : 'en';
}
