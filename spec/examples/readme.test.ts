/**
 * The code in README.md and docs/*.md that is marked `<!-- example: examples/FILE#region[,region…] -->`
 * is the text of those regions of the example programs (which the tests compile and run), so the
 * snippets a user copies cannot drift from working code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const MARKER = /<!-- example: (examples\/[\w.-]+)#([\w,-]+) -->\n```ts\n([\s\S]*?)```/g;

function region(file: string, name: string): string {
  const text = readFileSync(root + file, 'utf8');
  const found = new RegExp(`// #region ${name}\\n([\\s\\S]*?)// #endregion`).exec(text);
  assert.ok(found, `${file} has no region ${name}`);
  return found[1]!;
}

const documents = ['README.md', ...readdirSync(root + 'docs').map((name) => `docs/${name}`)].filter((name) => name.endsWith('.md'));

test('every example snippet in the docs is the text of its example regions', () => {
  let snippets = 0;
  for (const document of documents) {
    for (const [, file, regions, code] of readFileSync(root + document, 'utf8').matchAll(MARKER)) {
      snippets += 1;
      const expected = regions!.split(',').map((name) => region(file!, name)).join('\n');
      assert.equal(code, expected, `${document}: the snippet from ${file}#${regions} differs from the example`);
    }
  }
  assert.ok(snippets >= 3, `found only ${snippets} example snippets`);
});
