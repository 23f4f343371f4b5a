/**
 * What a client check works with: the trace of its scenario, and the recorder of what it
 * expected and saw and of its violations (the same outcome rules as the server checks).
 */
import type { Severity } from '../types.js';
import type { ClientTrace } from './trace.js';

/** Thrown to skip a client check with a reason. */
export class ClientCheckSkip extends Error {}

/** The context one client check runs in. */
export class ClientCheckContext {
  readonly expected: string[] = [];
  readonly saw: string[] = [];
  readonly violations: Array<{ severity: Severity; message: string }> = [];
  readonly unchecked: string[] = [];

  constructor(
    readonly trace: ClientTrace,
    /** The severity of the check's keyword. */
    readonly severity: Severity,
  ) {}

  expect(text: string): void {
    this.expected.push(text);
  }
  see(text: string): void {
    this.saw.push(text);
  }
  violation(message: string, severity: Severity = this.severity): void {
    this.violations.push({ severity, message });
  }
  /** A part that could not be observed: without a violation the check is a skip. */
  notChecked(reason: string): void {
    this.unchecked.push(reason);
    this.see(`not checked: ${reason}`);
  }
  skip(reason: string): never {
    throw new ClientCheckSkip(reason);
  }

  /** The client's capabilities from its `initialize`. */
  get capabilities(): Record<string, any> {
    return (this.trace.initialize?.capabilities as Record<string, any> | undefined) ?? {};
  }
}
