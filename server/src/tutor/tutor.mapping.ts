import { allItems, skillById, staffToAbc, type Exercise } from './engine';
import type { ExerciseDto } from './dto/tutor.dto';
import type { ExerciseRow } from './tutor.repository';

const ITEMS = new Map(allItems().map((i) => [i.itemId, i]));

/** The item's name, for what was answered already (attempts, history). */
export const itemLabel = (itemId: string): string => ITEMS.get(itemId)?.label ?? itemId;
/** The item's name before it is answered (exercises, plans): never the answer. */
export const promptLabel = (itemId: string): string => ITEMS.get(itemId)?.promptLabel ?? itemId;
export const skillName = (skillId: string): string => skillById(skillId).name;
export const audioUrlOf = (id: string) => `/api/tutor/exercises/${id}/audio`;

/** How an attempt at this exercise is handed in. */
export function answerFormatOf(exercise: Exercise): ExerciseDto['answerFormat'] {
  switch (exercise.kind) {
    case 'interval':
    case 'chord':
    case 'scale':
      return 'choice';
    case 'note-reading':
      return 'names';
    case 'rhythm':
      return 'taps';
    default:
      return 'recording';
  }
}

/** The page's view of an exercise: prompt, audio, notation and what to hand in, never the answer. */
export function exerciseDtoOf(row: ExerciseRow): ExerciseDto {
  const exercise = row.exercise;
  const dto: ExerciseDto = {
    id: row.id,
    kind: exercise.kind,
    itemId: row.itemId,
    itemLabel: promptLabel(row.itemId),
    skillId: row.skillId,
    skillName: skillName(row.skillId),
    planKind: row.planKind,
    reason: row.reason,
    predictedSuccess: row.predictedSuccess,
    prompt: exercise.prompt,
    answerFormat: answerFormatOf(exercise),
  };
  if ('audio' in exercise) dto.audioUrl = audioUrlOf(row.id);
  if ('staff' in exercise) dto.notation = { abc: staffToAbc(exercise.staff), staff: { ...exercise.staff, timeSignature: [...exercise.staff.timeSignature] } };
  switch (exercise.kind) {
    case 'interval':
    case 'chord':
    case 'scale':
      dto.choices = exercise.choices;
      break;
    case 'note-reading':
      dto.noteCount = exercise.answer.length;
      break;
    case 'rhythm':
      Object.assign(dto, { bpm: exercise.bpm, beatsPerBar: exercise.beatsPerBar, countInBeats: exercise.countInBeats });
      break;
    default:
      Object.assign(dto, { bpm: exercise.bpm, beatsPerBar: exercise.beatsPerBar, melody: exercise.melody });
  }
  return dto;
}
