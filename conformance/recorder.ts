/**
 * What every check records, on the server side and the client side alike: what it expected and
 * saw, its violations, and the parts it could not observe (which make it a skip, never a pass).
 */
import type { Severity } from './types.js';

/** Thrown to skip a check with a reason. */
export class CheckSkip extends Error {}

/** The recorder a check writes to. */
export class Recorder {
  readonly expected: string[] = [];
  readonly saw: string[] = [];
  readonly violations: Array<{ severity: Severity; message: string }> = [];
  /** Parts of the check that could not be observed: without a violation, the check is a skip (never a pass). */
  readonly unchecked: string[] = [];

  constructor(
    /** The severity of this check's keyword. */
    readonly severity: Severity,
  ) {}

  /** Records what was expected. */
  expect(text: string): void {
    this.expected.push(text);
  }
  /** Records what was seen. */
  see(text: string): void {
    this.saw.push(text);
  }

  /** Records a violation; severity defaults to the check's. */
  violation(message: string, severity: Severity = this.severity): void {
    this.violations.push({ severity, message });
  }

  /**
   * Records that a part of the check could not be observed (and why). A check with such a part and
   * no violation ends as `skip` with these reasons: what was not seen is not passed.
   */
  notChecked(reason: string): void {
    this.unchecked.push(reason);
    this.see(`not checked: ${reason}`);
  }

  /** Ends the check as skipped. */
  skip(reason: string): never {
    throw new CheckSkip(reason);
  }
}
