/**
 * R84 [MUST] (Security): task ids are unguessable (≥ 122 random bits, not sequential).
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';
import { OPTIONAL } from './common.js';

export const R84: Check = {
  id: 'R84',
  keyword: 'MUST',
  section: 'Security',
  title: 'task ids are unguessable (≥ 122 random bits, not sequential)',
  needs: { tools: [OPTIONAL], capabilities: ['tools.call'] },
  async run(ctx: CheckContext) {
    ctx.send(`64 task-augmented tools/call ${OPTIONAL}`);
    ctx.expect('no collisions; each id carries at least ~122 bits (UUIDv4, 32+ hex, 22+ base64url characters) beyond any shared prefix');
    const ids: string[] = [];
    for (let i = 0; i < 64; i += 16) {
      const tasks = await Promise.all(Array.from({ length: 16 }, (_, j) => ctx.createTask(ctx.peer, OPTIONAL, { text: `r84-${i + j}` })));
      ids.push(...tasks.map((t) => t.taskId));
    }
    if (new Set(ids).size !== ids.length) ctx.violation('task id collision');
    if (ids.every((id) => /^\d+$/.test(id))) ctx.violation('task ids are decimal numbers');
    let prefix = ids[0] ?? '';
    for (const id of ids) while (!id.startsWith(prefix)) prefix = prefix.slice(0, -1);
    const sorted = [...ids].sort();
    let maxShared = 0;
    for (let i = 1; i < sorted.length; i++) {
      let n = 0;
      while (n < sorted[i]!.length && sorted[i]![n] === sorted[i - 1]![n]) n++;
      maxShared = Math.max(maxShared, n);
    }
    const bits = ids.map((id) => {
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return 122; // UUIDv4
      const rest = id.slice(prefix.length);
      if (/^[0-9a-fA-F-]+$/.test(id)) return rest.replace(/-/g, '').length * 4; // hex (dashes are separators)
      if (/^[0-9A-Z]+$/.test(id)) return rest.length * 5; // base32-like
      return rest.length * 6; // base64url or wider
    });
    const least = Math.min(...bits);
    ctx.see(`sample ${ids.slice(0, 3).join(', ')}; common prefix ${JSON.stringify(prefix)}; longest shared prefix between neighbours ${maxShared}; estimated bits ≥ ${least}`);
    if (least < 122) ctx.violation(`ids carry about ${least} bits, fewer than 122`);
  },
};
