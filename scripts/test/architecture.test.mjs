import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import architecture from '../eslint/architecture.mjs';

const root = resolve(import.meta.dirname, '../..');
const linter = new Linter({ configType: 'flat' });
const config = [{ files: ['**/*.ts'], plugins: { architecture }, languageOptions: { parser: tseslint.parser }, rules: { 'architecture/boundaries': 'error' } }];

/** The boundary messages for `code` if it were the file at `path` (repository-relative). */
function boundaryErrors(path, code) {
  return linter.verify(code, config, { filename: resolve(root, path) }).map((m) => m.message);
}

describe('architecture/boundaries', () => {
  it('stops core from importing a feature', () => {
    const [message] = boundaryErrors('server/src/core/jobs/x.ts', "import { MusicGenerationService } from '../../music/music.service';");
    assert.match(message, /core never imports a feature \(music\)/);
  });

  it("lets a feature use another feature's module, services, DTOs and engine, not its internals", () => {
    const from = 'server/src/tutor/tutor.service.ts';
    assert.deepEqual(boundaryErrors(from, "import { MusicModule } from '../music/music.module';"), []);
    assert.deepEqual(boundaryErrors(from, "import { MusicGenerationService } from '../music/music.service';"), []);
    assert.deepEqual(boundaryErrors(from, "import { planFromEmotion } from '../music/engine';"), []);
    assert.deepEqual(boundaryErrors(from, "import { GenerateFromEmotionDto } from '../music/dto/generate-emotion.dto';"), []);
    assert.match(boundaryErrors(from, "import { MusicRepository } from '../music/music.repository';")[0], /reaches into music's internals/);
  });

  it('keeps engines pure: no Nest, no services, even of their own feature', () => {
    assert.match(boundaryErrors('server/src/music/engine/x.ts', "import { Injectable } from '@nestjs/common';")[0], /imports no Nest package/);
    assert.match(
      boundaryErrors('server/src/music/engine/x.ts', "import { MusicGenerationService } from '../music.service';")[0],
      /an engine imports only engines/,
    );
    assert.deepEqual(boundaryErrors('server/src/tutor/engine/x.ts', "import { compose } from '../../music/engine/compose';"), []);
  });

  it('keeps test code out of the application, but lets specs use it', () => {
    assert.match(boundaryErrors('server/src/music/music.service.ts', "import { x } from '../../test/support/test-app';")[0], /never imports test code/);
    assert.deepEqual(boundaryErrors('server/src/music/music.service.spec.ts', "import { x } from '../../test/support/test-app';"), []);
  });

  it('keeps client features apart and core/shared independent of them', () => {
    assert.match(boundaryErrors('client/src/app/logs/logs.page.ts', "import { MusicStore } from '../music/music.store';")[0], /never imports another feature/);
    assert.match(
      boundaryErrors('client/src/app/core/layout/shell.ts', "import { LogsStore } from '../../logs/logs.store';")[0],
      /core never imports a feature/,
    );
    assert.match(boundaryErrors('client/src/app/shared/x/x.ts', "import { LogsStore } from '../../logs/logs.store';")[0], /shared never imports a feature/);
    assert.deepEqual(boundaryErrors('client/src/app/logs/logs.page.ts', "import { AuthStore } from '../core/auth/auth.store';"), []);
  });

  it('checks dynamic imports and re-exports too', () => {
    assert.equal(boundaryErrors('server/src/core/x.ts', "export { MusicModule } from '../music/music.module';").length, 1);
    assert.equal(boundaryErrors('client/src/app/core/x.ts', "const page = () => import('../logs/logs.page');").length, 1);
  });

  it('is switched on for the server and the client in the project configuration', async () => {
    const eslint = new ESLint({ cwd: root });
    for (const file of ['server/src/core/core.module.ts', 'client/src/app/app.routes.ts']) {
      const { rules } = await eslint.calculateConfigForFile(resolve(root, file));
      assert.equal(rules['architecture/boundaries']?.[0], 2, file);
    }
  });
});
