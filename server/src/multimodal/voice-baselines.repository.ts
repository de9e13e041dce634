import { Injectable } from '@nestjs/common';
import { Database, InjectDatabase } from '../core/db/database';
import type { SpeakerBaselineState } from './engine';

/** The only place that reads or writes multimodal_voice_baselines. */
@Injectable()
export class VoiceBaselinesRepository {
  constructor(@InjectDatabase() private readonly db: Database) {}

  async find(userId: string): Promise<SpeakerBaselineState | undefined> {
    const row = await this.db.selectFrom('multimodal_voice_baselines').select(['recordings', 'mean']).where('user_id', '=', userId).executeTakeFirst();
    return row && { recordings: row.recordings, mean: row.mean.map(Number) };
  }

  /**
   * Stores the baseline after a recording. Two recordings of one user analysed at once both start from the same
   * stored state and the later write wins: the running mean then misses one recording, which it can afford.
   */
  async save(userId: string, state: SpeakerBaselineState): Promise<void> {
    const values = { recordings: state.recordings, mean: state.mean, updated_at: new Date() };
    await this.db
      .insertInto('multimodal_voice_baselines')
      .values({ user_id: userId, ...values })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
      .execute();
  }

  async forget(userId: string): Promise<void> {
    await this.db.deleteFrom('multimodal_voice_baselines').where('user_id', '=', userId).execute();
  }
}
