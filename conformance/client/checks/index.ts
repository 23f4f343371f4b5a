/** Every client check, in report order (one file per requirement ID). */
import type { ClientCheck } from '../check.js';
import { R12 } from './R12.js';
import { R17 } from './R17.js';
import { R2 } from './R2.js';
import { R26 } from './R26.js';
import { R3 } from './R3.js';
import { R31 } from './R31.js';
import { R33 } from './R33.js';
import { R44 } from './R44.js';
import { R45 } from './R45.js';
import { R51 } from './R51.js';
import { R69 } from './R69.js';
import { R70 } from './R70.js';
import { R8 } from './R8.js';
import { R9 } from './R9.js';

/** All client checks. */
export const CLIENT_CHECKS: ClientCheck[] = [R2, R3, R8, R9, R12, R44, R45, R17, R31, R33, R26, R51, R69, R70];
