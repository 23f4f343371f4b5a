/**
 * R87 [SHOULD NOT] (Capabilities): a server that cannot identify requestors does not declare tasks.list.
 */
import type { Check } from '../check.js';
import type { CheckContext } from '../context.js';

export const R87: Check = {
  id: 'R87',
  keyword: 'SHOULD NOT',
  section: 'Capabilities',
  title: 'a server that cannot identify requestors does not declare tasks.list',
  async run(ctx: CheckContext) {
    const list = ctx.server.capabilities.tasks?.list !== undefined;
    const identified =
      ctx.server.transport !== 'http' || ctx.server.hasCredentials || ctx.server.sessionId !== undefined;
    ctx.see(`tasks.list ${list ? 'declared' : 'not declared'}; transport ${ctx.server.transport}; credentials ${ctx.server.hasCredentials ? 'given' : 'none'}; session ${ctx.server.sessionId ?? 'none'}`);
    ctx.expect('no tasks.list when requestors cannot be told apart (HTTP without credentials and without sessions)');
    if (list && !identified) ctx.violation('tasks.list is declared although this connection has neither credentials nor a session');
  },
};
