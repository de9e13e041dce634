import { createHash } from 'node:crypto';

type Lookup = (template: string, component: string, level: string) => Promise<string | undefined>;

/**
 * The miner numbers its templates T1, T2, … per process, starting again at every restart and differently in every
 * worker: those numbers must not key the stored patterns, or a restart's T1 would add its counts to another template's
 * row. A template keeps the stored id it first got in this process (as it generalises, its text changes but not its
 * id); a template seen for the first time takes the id of a stored pattern with the same text, component and level
 * (what an earlier process or another worker stored), else an id derived from those, so two workers that meet the same
 * new template store it under one id.
 */
export class StoredPatternIds {
  private readonly ids = new Map<string, string>();

  constructor(private readonly lookup: Lookup) {}

  async of(localId: string, template: string, component: string, level: string): Promise<string> {
    const known = this.ids.get(localId);
    if (known) return known;
    const id = (await this.lookup(template, component, level)) ?? derivedPatternId(template, component, level);
    this.ids.set(localId, id);
    return id;
  }
}

export function derivedPatternId(template: string, component: string, level: string): string {
  return `P${createHash('sha256').update(`${component}\n${level}\n${template}`).digest('hex').slice(0, 20)}`;
}
