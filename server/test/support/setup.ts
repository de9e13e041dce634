// e2e specs boot the whole application against real services; give hooks and tests room.
jest.setTimeout(120_000);
