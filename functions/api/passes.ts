// The passes route group: the record, its QR as SVG or PNG, a printable card, and revocation.
import { RevokeInput } from '../../shared/decision-schemas.ts';
import { formatCnic } from '../../shared/domain/cnic.ts';
import { checkpointName } from '../../shared/domain/reference.ts';
import { renderQrSvg } from '../../shared/qr.ts';
import { actorOf, type Caller, FIA_ROLES, hasRole } from '../http/caller.ts';
import type { HttpEvent, HttpResult } from '../http/event.ts';
import { json } from '../http/respond.ts';
import { type Observability, route, routeGroup } from '../http/route.ts';
import type { Clock } from '../services/context.ts';
import { findPass, revokePass } from '../services/passes.ts';
import type { Pass } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { passView } from '../views.ts';
import { PassPath } from './params.ts';
import { credentialImage, escapeHtml, labelledRow } from './printed.ts';

export interface PassesDependencies extends Observability {
  store: Store;
  clock: Clock;
}

/** What a printed pass card needs, for one card or a page of them. */
export const CARD_STYLE = `
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; padding: 16px; color: #111; }
  .card { max-width: 640px; border: 2px solid #0a5c36; border-radius: 8px; padding: 16px; display: flex; gap: 16px; flex-wrap: wrap; margin-block-end: 16px; }
  .qr { width: 260px; flex: none; }
  .qr svg { width: 100%; height: auto; }
  h1 { font-size: 18px; margin: 0 0 8px; color: #0a5c36; }
  table { border-collapse: collapse; }
  th { text-align: left; font-weight: 600; padding: 2px 12px 2px 0; vertical-align: top; white-space: nowrap; }
  th span { display: block; font-weight: 400; font-size: 13px; }
  td { padding: 2px 0; }
  .status { font-weight: 700; color: #0a5c36; }
  .status.off { color: #b00020; }
  @media print { body { padding: 0; } .card { break-inside: avoid; } }`;

/** One pass card: the QR beside what an officer matches against the person, labelled in English and Urdu. */
export async function passCard(pass: Pass): Promise<string> {
  const svg = await renderQrSvg(pass.token, { margin: 2 });
  const points = pass.crossingPoints.map((c) => `${c} (${checkpointName(c)})`).join(', ');
  return `<div class="card">
  <div class="qr" aria-label="QR code of pass ${escapeHtml(pass.number)}">${svg}</div>
  <div>
    <h1>Border pass <span lang="ur" dir="rtl">راہداری</span></h1>
    <table>
      ${labelledRow('Pass number', 'پاس نمبر', pass.number)}
      ${labelledRow('Name', 'نام', pass.name)}
      ${labelledRow("Father's name", 'والد کا نام', pass.fatherName)}
      ${labelledRow('CNIC', 'شناختی کارڈ نمبر', formatCnic(pass.cnic))}
      ${labelledRow('Valid from', 'تاریخ اجراء', pass.validFrom)}
      ${labelledRow('Valid until', 'تاریخ تنسیخ', pass.validUntil)}
      ${labelledRow('Crossing points', 'گزرگاہیں', points)}
      ${pass.group ? labelledRow('Pilgrim group', 'زائرین کا گروپ', pass.group) : ''}
      <tr><th>Status<span lang="ur" dir="rtl">حیثیت</span></th><td class="status${pass.status === 'ACTIVE' ? '' : ' off'}">${pass.status}</td></tr>
    </table>
  </div>
</div>`;
}

/** A whole printable page around `body`. */
export function printablePage(title: string, body: string, style = CARD_STYLE): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** A printable card of one pass. */
export async function renderCard(pass: Pass): Promise<string> {
  return printablePage(`Border pass ${pass.number}`, await passCard(pass));
}

const HOLDERS = ['applicant', ...FIA_ROLES] as const;
const noSuchPass = (params: Record<string, string | undefined>) => `No pass ${params.no ?? ''}.`;
const readerOf = (caller: Caller) => ({ sub: caller.sub, fia: hasRole(caller, FIA_ROLES) });

export function createPassesHandler(deps: PassesDependencies) {
  const holderRoute = (serve: (pass: Pass, caller: Caller, event: HttpEvent) => Promise<HttpResult>) =>
    route({ roles: HOLDERS, params: PassPath, notFound: noSuchPass }, async ({ params, caller, event }) =>
      serve(await findPass(deps.store, params.no, readerOf(caller)), caller, event),
    );
  return routeGroup(
    {
      'GET /passes/{no}': holderRoute(async (pass, caller) => json(200, passView(pass, caller))),
      'GET /passes/{no}/qr.svg': holderRoute((pass, _caller, event) =>
        credentialImage(event, pass.token, 'svg'),
      ),
      'GET /passes/{no}/qr.png': holderRoute((pass, _caller, event) =>
        credentialImage(event, pass.token, 'png'),
      ),
      'GET /passes/{no}/card': holderRoute(async (pass) => ({
        statusCode: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-cache' },
        body: await renderCard(pass),
      })),
      'POST /passes/{no}/revoke': route(
        { roles: ['fia-supervisor'], params: PassPath, notFound: noSuchPass, body: RevokeInput },
        async ({ params, caller, body }) => {
          const revoked = await revokePass(deps, params.no, body.reason, actorOf(caller, ['fia-supervisor']));
          return json(200, passView(revoked, caller));
        },
      ),
    },
    deps,
  );
}
