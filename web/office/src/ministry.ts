// The Ministry of Interior's reports.
import type { Ctx } from './ui.ts';
import { el } from './ui.ts';

export function MinistryPages({ ctx }: { ctx: Ctx; route: string[] }) {
  return el('p', null, ctx.s.ministry.title);
}
