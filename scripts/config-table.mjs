// Prints the configuration table of README.md from server/src/core/config/env.schema.ts (the one config schema).
// `node scripts/config-table.mjs --write` updates README.md between the config-table markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

export function configTable() {
  const source = readFileSync(resolve(root, 'server/src/core/config/env.schema.ts'), 'utf8');
  const rows = [];
  let doc = '';
  let section = '';
  let comment = null; // the lines of a /** … */ block being read
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (comment) {
      if (line === '*/') [doc, comment] = [comment.join(' '), null];
      else comment.push(line.replace(/^\* ?/, ''));
      continue;
    }
    if (line === '/**') {
      comment = [];
      continue;
    }
    const sectionMatch = line.match(/^\/\/ --- (.+) ---$/);
    if (sectionMatch) section = sectionMatch[1];
    const docMatch = line.match(/^\/\*\* (.+?) \*\/$/);
    if (docMatch) doc = docMatch[1];
    const prop = line.match(/^([A-Z][A-Z0-9_]+)(\?)?(?:: [^=;]+)?(?: = (.+))?;$/);
    if (prop) {
      const [, name, optional, value] = prop;
      const fallback = value ? `\`${value.replace(/^'|'$/g, '')}\`` : optional ? '(unset)' : '**required**';
      rows.push(`| \`${name}\` | ${fallback} | ${section} | ${doc.replace(/\|/g, '\\|')} |`);
      doc = '';
    }
  }
  return ['| variable | default | area | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(root, 'scripts/config-table.mjs')) {
  const table = configTable();
  if (process.argv.includes('--write')) {
    const readmePath = resolve(root, 'README.md');
    const readme = readFileSync(readmePath, 'utf8');
    const updated = readme.replace(/(<!-- config-table:start -->\n)[\s\S]*?(\n<!-- config-table:end -->)/, `$1${table}$2`);
    writeFileSync(readmePath, updated);
  } else {
    console.log(table);
  }
}
