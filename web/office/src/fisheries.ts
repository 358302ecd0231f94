// Fisheries officers' pages: register a boat, find boats, and change one.
import type { Ctx } from './ui.ts';
import { el } from './ui.ts';

export function FisheriesPages({ ctx }: { ctx: Ctx; route: string[] }) {
  return el('p', null, ctx.s.fisheries.register);
}
