import type { Migration } from 'kysely';
import * as users from './0001_users';
import * as musicGenerations from './0002_music_generations';
import * as tutor from './0003_tutor';
import * as aiops from './0004_aiops';
import * as ensemble from './0006_ensemble';
import * as multimodal from './0005_multimodal';
import * as aiopsActorNames from './0007_aiops_actor_names';
import * as tutorTimeZone from './0008_tutor_time_zone';
import * as voiceBaselines from './0009_voice_baselines';
import * as tutorFsrsFits from './0010_tutor_fsrs_fits';
import * as tutorFsrsLearnerWeights from './0011_tutor_fsrs_learner_weights';
import * as jobQuotaUses from './0012_job_quota_uses';
import * as aiopsFixLeases from './0013_aiops_fix_leases';

/** Every migration, applied in key order at start. Add new ones with the next number. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001_users': users,
  '0002_music_generations': musicGenerations,
  '0003_tutor': tutor,
  '0004_aiops': aiops,
  '0006_ensemble': ensemble,
  '0005_multimodal': multimodal,
  '0007_aiops_actor_names': aiopsActorNames,
  '0008_tutor_time_zone': tutorTimeZone,
  '0009_voice_baselines': voiceBaselines,
  '0010_tutor_fsrs_fits': tutorFsrsFits,
  '0011_tutor_fsrs_learner_weights': tutorFsrsLearnerWeights,
  '0012_job_quota_uses': jobQuotaUses,
  '0013_aiops_fix_leases': aiopsFixLeases,
};
