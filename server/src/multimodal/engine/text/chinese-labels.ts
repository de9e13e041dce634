/**
 * The Chinese emotion label when no trained classifier is configured. The word list's valence and arousal tell happy
 * from sad but barely anger, fear and surprise apart (all negative or aroused), so explicit emotion words and the
 * Weibo emoticon codes that name a feeling (`[怒]`, `[泪]`, `[吃惊]`) add their label, as the English reading does:
 * a negated happy word counts half towards sad, any other negated cue says nothing. The list is the project's own,
 * written from common usage (no corpus was mined for it).
 */
import { type FaceEmotion } from '../types';

const CUE_WORDS: readonly (readonly [FaceEmotion, string])[] = [
  [
    'happy',
    '开心 高兴 快乐 幸福 喜欢 喜悦 欢乐 愉快 快活 欣慰 满足 满意 感动 感恩 感谢 谢谢 祝福 恭喜 庆祝 太好了 真好 好棒 太棒 棒棒 厉害 完美 美好 可爱 好看 漂亮 温暖 甜蜜 期待 加油 哈哈 嘻嘻 嘿嘿 笑死 大笑 欢迎 爱你 喜欢你 好爽 舒服 赞 [偷笑] [太开心] [爱你] [心] [鼓掌] [good] [耶] [亲亲] [色] [笑cry] [喜] [给力] [威武] [憧憬] [干杯] [鲜花] [礼物] [蛋糕]',
  ],
  [
    'sad',
    '难过 伤心 悲伤 悲哀 悲痛 哭 泪 心痛 心疼 心碎 失望 遗憾 孤独 寂寞 痛苦 难受 绝望 委屈 可怜 哀悼 默哀 去世 离世 逝世 走好 想念 思念 怀念 伤感 郁闷 沮丧 崩溃 心酸 惨 唉 呜呜 舍不得 不舍 再见了 孤单 哭泣 落泪 流泪 眼泪 伤痛 悲剧 不幸 噩耗 失落 低落 忧伤 忧郁 抑郁 哀伤 痛心 凄凉 惆怅 失恋 分手 被甩 被拒绝 落榜 不及格 没及格 挂科 病逝 [泪] [悲伤] [伤心] [失望] [委屈] [可怜] [衰] [允悲] [蜡烛] [心碎] [哭]',
  ],
  [
    'angry',
    '生气 愤怒 气愤 愤慨 气死 恼火 火大 讨厌 烦死 烦人 心烦 可恶 混蛋 垃圾 傻逼 妈的 他妈 特么 滚蛋 滚出 无耻 人渣 畜生 渣男 骗子 欺负 不要脸 脑残 神经病 凭什么 忍无可忍 受够 暴怒 发火 发脾气 怒火 恼怒 气人 气炸 可恨 痛恨 恨死 憎恨 不爽 岂有此理 太过分 欺人太甚 闭嘴 坑人 骗人 黑心 无良 混账 王八蛋 缺德 吵死 谴责 严惩 坑爹 怒 骂 [怒] [怒骂] [抓狂] [哼] [左哼哼] [右哼哼] [鄙视] [白眼]',
  ],
  [
    'fearful',
    '害怕 恐惧 可怕 恐怖 吓死 吓人 吓到 吓坏 担心 担忧 紧张 焦虑 恐慌 心慌 慌了 好怕 很怕 怕怕 不安 惊恐 胆战 毛骨悚然 瑟瑟发抖 危险 不敢 发抖 颤抖 惊慌 慌张 胆怯 畏惧 惶恐 噩梦 吓得 提心吊胆 忐忑 惊吓 救命 万一 [惊恐] [害怕]',
  ],
  ['disgusted', '恶心 反胃 作呕 嫌弃 反感 厌恶 恶臭 发臭 臭死 肮脏 脏死 太脏 龌龊 猥琐 下流 想吐 呕吐 腐烂 发霉 变质 辣眼睛 [吐]'],
  [
    'surprised',
    '惊讶 吃惊 震惊 意外 没想到 竟然 居然 天哪 天啊 我的天 卧槽 不敢相信 难以置信 惊呆 目瞪口呆 惊喜 什么鬼 哇 想不到 出乎意料 没料到 不可思议 真的假的 哇塞 天呐 妈呀 震撼 [吃惊] [惊讶]',
  ],
];

const CUES = new Map<string, FaceEmotion>(CUE_WORDS.flatMap(([label, words]) => words.split(' ').map((w) => [w, label] as const)));
const LONGEST = Math.max(...[...CUES.keys()].map((w) => w.length));
/** Negators (not 非 or 无: 非常 and 无比 intensify). */
const NEGATORS = /[不没别未]/;
const CLAUSE_END = /[，。！？；、,.!?;~～\s]/;
/** Words that contain a cue but mean something else: 恐怕 "probably", 哪怕 "even if", 笑哭 laughter, 泪目 moved. */
const NOT_CUES = ['恐怕', '哪怕', '笑哭', '哭笑不得', '泪目'];

/** Emotion cues found in a Chinese text, longest first and without overlap; weights per label (0 when none). */
export function chineseEmotionCues(text: string): Map<FaceEmotion, number> {
  const cues = new Map<FaceEmotion, number>();
  const add = (label: FaceEmotion, weight: number) => cues.set(label, (cues.get(label) ?? 0) + weight);
  let i = 0;
  while (i < text.length) {
    const masked = NOT_CUES.find((w) => text.startsWith(w, i));
    if (masked) {
      i += masked.length;
      continue;
    }
    let matched = 0;
    for (let n = Math.min(LONGEST, text.length - i); n >= 1; n--) {
      const label = CUES.get(text.slice(i, i + n));
      if (!label) continue;
      // A negator in the three characters before the cue, in its clause ("不开心", "没有害怕", "不是很开心"), turns it.
      const negated = NEGATORS.test(
        text
          .slice(Math.max(0, i - 3), i)
          .split(CLAUSE_END)
          .pop()!,
      );
      if (!negated) add(label, 1);
      else if (label === 'happy') add('sad', 0.5);
      matched = n;
      break;
    }
    i += Math.max(1, matched);
  }
  return cues;
}
