/** Reading a baseline file given on the command line (`--expected-failures`). */
import { readFile } from 'node:fs/promises';
import { parseBaseline, type Baseline, type BaselineError } from '../../../conformance/index.js';
import { UsageError } from '../flags.js';

/** The parsed baseline, undefined without a file; a file that cannot be read or parsed is a {@link UsageError}. */
export async function loadBaseline(file: string | undefined): Promise<Baseline | undefined> {
  if (!file) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --expected-failures ${file}: ${(error as Error).message}`);
  }
  try {
    return parseBaseline(text);
  } catch (error) {
    throw new UsageError(`${file}: ${(error as BaselineError).message}`);
  }
}
