/**
 * Every check of the suite, in report order (one file per requirement ID).
 */
import type { Check } from '../check.js';
import { R1 } from './R1.js';
import { R2 } from './R2.js';
import { R5 } from './R5.js';
import { R6 } from './R6.js';
import { R87 } from './R87.js';
import { G15 } from './G15.js';
import { R7 } from './R7.js';
import { R10 } from './R10.js';
import { R13 } from './R13.js';
import { R11 } from './R11.js';
import { R20 } from './R20.js';
import { R21 } from './R21.js';
import { R14 } from './R14.js';
import { R15 } from './R15.js';
import { R16 } from './R16.js';
import { R22 } from './R22.js';
import { R23 } from './R23.js';
import { R24 } from './R24.js';
import { R25 } from './R25.js';
import { R26 } from './R26.js';
import { R27 } from './R27.js';
import { R28 } from './R28.js';
import { R57 } from './R57.js';
import { R29 } from './R29.js';
import { R30 } from './R30.js';
import { R32 } from './R32.js';
import { R38 } from './R38.js';
import { R39 } from './R39.js';
import { R40 } from './R40.js';
import { R41 } from './R41.js';
import { R42 } from './R42.js';
import { R43 } from './R43.js';
import { R47 } from './R47.js';
import { R48 } from './R48.js';
import { R49 } from './R49.js';
import { R50 } from './R50.js';
import { R51 } from './R51.js';
import { R52 } from './R52.js';
import { R53 } from './R53.js';
import { R55 } from './R55.js';
import { R56 } from './R56.js';
import { R60 } from './R60.js';
import { R61 } from './R61.js';
import { R62 } from './R62.js';
import { R63 } from './R63.js';
import { R64 } from './R64.js';
import { R65 } from './R65.js';
import { R66 } from './R66.js';
import { R68 } from './R68.js';
import { R69 } from './R69.js';
import { R71 } from './R71.js';
import { R72 } from './R72.js';
import { R73 } from './R73.js';
import { R70 } from './R70.js';
import { R76 } from './R76.js';
import { R80 } from './R80.js';
import { R81 } from './R81.js';
import { R82 } from './R82.js';
import { R84 } from './R84.js';
import { R85 } from './R85.js';
import { R86 } from './R86.js';
import { R35 } from './R35.js';
import { R36 } from './R36.js';

/** All checks, grouped by section. */
export const ALL_CHECKS: Check[] = [
  R1,
  R2,
  R5,
  R6,
  R87,
  R7,
  R10,
  R13,
  R11,
  R20,
  R21,
  R14,
  R15,
  R16,
  R22,
  R23,
  R24,
  R25,
  R26,
  R27,
  R28,
  R57,
  R29,
  R30,
  R32,
  R38,
  R39,
  R40,
  R41,
  R42,
  R43,
  R47,
  R48,
  R49,
  R50,
  R51,
  R52,
  R53,
  R55,
  R56,
  R60,
  R61,
  R62,
  R63,
  R64,
  R65,
  R66,
  R68,
  R69,
  R71,
  R72,
  G15,
  R73,
  R70,
  R76,
  R80,
  R81,
  R82,
  R84,
  R85,
  R86,
  R35,
  R36,
];
