// Some unit specs boot WebAssembly (PGlite, the SoundFont synthesizer); on a busy 2-core machine that takes seconds.
jest.setTimeout(30_000);
