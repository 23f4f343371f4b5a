/**
 * Every check of the suite, in report order.
 */
import type { Check } from '../types.js';
import { CAPABILITY_CHECKS } from './capabilities.js';
import { CANCEL_CHECKS } from './cancel.js';
import { CREATION_CHECKS } from './creation.js';
import { ERROR_CHECKS } from './errors.js';
import { FIELD_CHECKS } from './fields.js';
import { HTTP_CHECKS } from './http.js';
import { INPUT_REQUIRED_CHECKS } from './inputRequired.js';
import { LIFECYCLE_CHECKS } from './lifecycle.js';
import { LISTING_CHECKS } from './listing.js';
import { NEGOTIATION_CHECKS } from './negotiation.js';
import { PROGRESS_CHECKS } from './progress.js';
import { RELATED_CHECKS } from './related.js';
import { RESULT_CHECKS } from './result.js';
import { SECURITY_CHECKS } from './security.js';

/** All checks, grouped by section. */
export const ALL_CHECKS: Check[] = [
  ...CAPABILITY_CHECKS,
  ...NEGOTIATION_CHECKS,
  ...CREATION_CHECKS,
  ...LIFECYCLE_CHECKS,
  ...INPUT_REQUIRED_CHECKS,
  ...FIELD_CHECKS,
  ...RESULT_CHECKS,
  ...RELATED_CHECKS,
  ...PROGRESS_CHECKS,
  ...LISTING_CHECKS,
  ...CANCEL_CHECKS,
  ...ERROR_CHECKS,
  ...SECURITY_CHECKS,
  ...HTTP_CHECKS,
];
