// The boat certificate's printable A5 page.
import { formatCnic } from '../../shared/domain/cnic.ts';
import { checkpointName } from '../../shared/domain/reference.ts';
import { BOAT_TYPES, FISHING_GEAR, HULL_MATERIALS } from '../../shared/domain/vessel.ts';
import { renderQrSvg } from '../../shared/qr.ts';
import type { Vessel } from '../store/vessels.ts';
import { escapeHtml, labelledRow } from './printed.ts';

const both = (name: { en: string; ur: string }) => `${name.en} / ${name.ur}`;

/**
 * The boat's certificate as a printable A5 page: the QR a port post or boarding party scans beside what they
 * match against the boat, its owner and its crew, labelled in English and Urdu. The office copy is the same page.
 */
export async function renderVesselCertificate(vessel: Vessel): Promise<string> {
  const svg = await renderQrSvg(vessel.certificate.token, { margin: 2 });
  const active = vessel.status === 'ACTIVE';
  const engine = vessel.engine ? `${vessel.engine.make}, ${vessel.engine.powerHp} HP` : 'None / کوئی نہیں';
  const gear = vessel.fishingGear.map((code) => both(FISHING_GEAR[code])).join(', ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Boat certificate ${escapeHtml(vessel.certificate.serial)}</title>
<style>
  @page { size: A5 portrait; margin: 10mm; }
  body { font: 12px/1.35 system-ui, sans-serif; margin: 0; padding: 12px; color: #111; }
  .sheet { max-width: 128mm; margin: 0 auto; border: 2px solid #0b4f8a; border-radius: 6px; padding: 10px 12px; }
  header { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
  h1 { font-size: 16px; margin: 0 0 6px; color: #0b4f8a; }
  .qr { width: 62mm; margin: 6px auto; }
  .qr svg { width: 100%; height: auto; }
  table { border-collapse: collapse; width: 100%; }
  th { text-align: start; font-weight: 600; padding: 2px 10px 2px 0; vertical-align: top; white-space: nowrap; width: 40%; }
  th span { display: block; font-weight: 400; font-size: 11px; }
  td { padding: 2px 0; overflow-wrap: anywhere; }
  .status { font-weight: 700; color: ${active ? '#0a5c36' : '#b00020'}; }
  footer { margin-top: 6px; font-size: 10px; color: #444; }
  @media print { body { padding: 0; } .sheet { border-width: 1px; break-inside: avoid; } }
</style>
</head>
<body>
<div class="sheet">
  <header>
    <h1>Certificate of boat registration <span lang="ur" dir="rtl">کشتی رجسٹریشن سرٹیفکیٹ</span></h1>
  </header>
  <div class="qr" aria-label="QR code of certificate ${escapeHtml(vessel.certificate.serial)}">${svg}</div>
  <table>
    ${labelledRow('Official number', 'سرکاری نمبر', vessel.officialNumber)}
    ${labelledRow('Certificate', 'سرٹیفکیٹ نمبر', vessel.certificate.serial)}
    ${labelledRow('Boat name', 'کشتی کا نام', vessel.name)}
    ${labelledRow('Type', 'قسم', both(BOAT_TYPES[vessel.type]))}
    ${labelledRow('Home port', 'آبائی بندرگاہ', `${vessel.homePort} (${checkpointName(vessel.homePort)})`)}
    ${labelledRow('Owner', 'مالک', vessel.owner.name)}
    ${labelledRow("Owner's father", 'مالک کے والد', vessel.owner.fatherName)}
    ${labelledRow("Owner's CNIC", 'مالک کا شناختی کارڈ', formatCnic(vessel.owner.cnic))}
    ${labelledRow('Maximum crew', 'زیادہ سے زیادہ عملہ', String(vessel.maxCrew))}
    ${labelledRow('Length overall', 'کل لمبائی', `${vessel.lengthOverallM} m`)}
    ${labelledRow('Gross tonnage', 'مجموعی ٹن', `${vessel.grossTonnageGt} GT`)}
    ${labelledRow('Hull', 'ڈھانچہ', both(HULL_MATERIALS[vessel.hullMaterial]))}
    ${labelledRow('Engine', 'انجن', engine)}
    ${labelledRow('Fishing gear', 'ماہی گیری کا سامان', gear)}
    ${labelledRow('Licence valid from', 'لائسنس کا آغاز', vessel.licenceValidFrom)}
    ${labelledRow('Licence valid until', 'لائسنس کی تنسیخ', vessel.licenceValidUntil)}
    ${labelledRow('Status', 'حیثیت', vessel.status, 'status')}
  </table>
  <footer>Issued ${escapeHtml(vessel.certificate.issuedAt.slice(0, 10))} · Fisheries Department. Verify the QR offline with the Rahdari app or <code>rahdari verify</code>; a certificate replaced by renewal, transfer or reinstatement is revoked.</footer>
</div>
</body>
</html>
`;
}
