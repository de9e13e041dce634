import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DATABASE, Database, migrate, openDatabase } from './database';

@Global()
@Module({
  providers: [
    {
      provide: DATABASE,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<Database> => {
        const logger = new Logger('Database');
        const db = await openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir });
        const applied = await migrate(db);
        const where = config.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}/pglite`;
        logger.log(`Connected to ${where}; ${applied.length} migration(s) applied`);
        return db;
      },
    },
  ],
  exports: [DATABASE],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
