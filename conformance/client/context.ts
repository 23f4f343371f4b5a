/**
 * What a client check works with: the trace of its scenario, and the recorder every check has
 * (the same outcome rules as the server checks).
 */
import { Recorder } from '../recorder.js';
import type { Severity } from '../types.js';
import type { ClientTrace } from './trace.js';

/** The context one client check runs in. */
export class ClientCheckContext extends Recorder {
  constructor(
    readonly trace: ClientTrace,
    severity: Severity,
  ) {
    super(severity);
  }

  /** The client's capabilities from its `initialize`. */
  get capabilities(): Record<string, any> {
    return (this.trace.initialize?.capabilities as Record<string, any> | undefined) ?? {};
  }
}
