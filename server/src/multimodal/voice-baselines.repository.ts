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
   * Stores the baseline after a recording, if the stored one is still the one it grew from (`previous`: its count of
   * recordings when read, undefined when there was none). A baseline forgotten meanwhile stays forgotten; of two
   * recordings of one user analysed at once, the later write is dropped: the running mean misses one recording, which
   * it can afford.
   */
  async save(userId: string, state: SpeakerBaselineState, previous: number | undefined): Promise<void> {
    const values = { recordings: state.recordings, mean: state.mean, updated_at: new Date() };
    if (previous === undefined) {
      await this.db
        .insertInto('multimodal_voice_baselines')
        .values({ user_id: userId, ...values })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .execute();
      return;
    }
    await this.db.updateTable('multimodal_voice_baselines').set(values).where('user_id', '=', userId).where('recordings', '=', previous).execute();
  }

  async forget(userId: string): Promise<void> {
    await this.db.deleteFrom('multimodal_voice_baselines').where('user_id', '=', userId).execute();
  }
}
