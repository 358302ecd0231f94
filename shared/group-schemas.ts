// The bodies the group routes take: shapes and sizes only; shared/domain/group.ts holds the rules.
import * as z from 'zod/mini';
import './zod-config.ts';
import { reason, typedText } from './decision-schemas.ts';
import { PAKISTANI_MOBILE } from './domain/application.ts';
import type { GroupInput as DomainGroupInput, GroupMemberInput } from './domain/group.ts';
import { MAX_GROUP_MEMBERS } from './domain/pass-types-config.ts';

const text = (min: number, max: number) =>
  z.string().check(typedText('single-line'), z.minLength(min), z.maxLength(max));
const isoDate = z.iso.date({ error: 'Must be a real date written as YYYY-MM-DD.' });

const Member = z.strictObject({
  cnic: text(1, 32),
  name: text(1, 120),
  fatherName: text(1, 120),
  district: text(1, 120),
}) satisfies z.ZodMiniType<GroupMemberInput>;

const members = z
  .array(Member)
  .check(
    z.minLength(1, 'A group needs at least one member.'),
    z.maxLength(MAX_GROUP_MEMBERS, `A group may have at most ${MAX_GROUP_MEMBERS} members.`),
  );

export const GroupInput = z.strictObject({
  passType: text(1, 32),
  /** An FIA officer at a counter names the leader; a leader applying online is their own account's CNIC. */
  leaderCnic: z.optional(text(1, 32)),
  crossingPoint: text(1, 8),
  route: text(1, 300),
  departOn: isoDate,
  returnBy: isoDate,
  members,
}) satisfies z.ZodMiniType<DomainGroupInput & { leaderCnic?: string }>;
export type GroupInput = z.infer<typeof GroupInput>;

export const MembersInput = z.strictObject({ members });
export type MembersInput = z.infer<typeof MembersInput>;

export const OrganizerInput = z.strictObject({
  name: text(1, 120),
  fatherName: text(1, 120),
  phone: z
    .string()
    .check(
      z.regex(PAKISTANI_MOBILE, 'Must be a Pakistani mobile number such as 03001234567 or +923001234567.'),
    ),
  organization: text(2, 120),
});
export type OrganizerInput = z.infer<typeof OrganizerInput>;

export const ClearInput = z.strictObject({ reason });
export type ClearInput = z.infer<typeof ClearInput>;

export const GROUP_STATUSES = ['PENDING', 'NEEDS_REVIEW', 'APPROVED', 'REJECTED'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];
