// The backfill of FIA's search: name index items and group memberships for records stored before search existed.
import { nameIndexKeys } from '../../shared/domain/names.ts';
import type { Group } from '../store/groups.ts';
import type { Application } from '../store/records.ts';
import type { NameEntry } from '../store/search.ts';
import type { Store } from '../store/store.ts';
import type { Vessel } from '../store/vessels.ts';

export interface ReindexReport {
  applications: number;
  vessels: number;
  groups: number;
  /** Name index items written (each an idempotent Put: a second run writes the same items again). */
  nameItems: number;
}

const entry = (cnic: string, name: string, fatherName: string, district?: string): NameEntry => ({
  cnic,
  name,
  fatherName,
  ...(district ? { district } : {}),
  keys: nameIndexKeys(name),
});

/**
 * Indexes every application's applicant, every boat's owner and every group's members by name, and records the
 * members' memberships. Idempotent: the items are Puts of the same keys and the memberships a set. Reads the whole
 * table once (a Scan): an operator's command, never a request.
 */
export async function reindexPeople(store: Store): Promise<ReindexReport> {
  const report: ReindexReport = { applications: 0, vessels: 0, groups: 0, nameItems: 0 };
  await store.search.scanKinds(['APP', 'VESSEL', 'GROUP'], async (items) => {
    const names: NameEntry[] = [];
    for (const item of items) {
      if (item.kind === 'APP') {
        const app = item as unknown as Application;
        names.push(entry(app.cnic, app.name, app.fatherName, app.district));
        report.applications += 1;
      } else if (item.kind === 'VESSEL') {
        const vessel = item as unknown as Vessel;
        names.push(entry(vessel.owner.cnic, vessel.owner.name, vessel.owner.fatherName));
        report.vessels += 1;
      } else if (item.kind === 'GROUP') {
        const group = item as unknown as Group;
        names.push(...group.members.map((m) => entry(m.cnic, m.name, m.fatherName, m.district)));
        await store.search.putMemberships(
          group.number,
          group.members.map((m) => m.cnic),
        );
        report.groups += 1;
      }
    }
    report.nameItems += await store.search.putNames(names);
  });
  return report;
}
