// The contract of FIA's desk: the search, person, history and own-applications routes, request and response.
// The server parses requests with these and the office pages import the response types, so the two cannot drift.
import * as z from 'zod/mini';
import './zod-config.ts';
import { typedText } from './decision-schemas.ts';
import { cnicParam } from './query-params.ts';
import { ROLES } from './roles.ts';

export {
  APPLICATION_REFERENCE,
  formatApplicationReference,
  parseApplicationReference,
} from './domain/application-reference.ts';

const text = (min: number, max: number) =>
  z.string().check(typedText('single-line'), z.minLength(min), z.maxLength(max));

const SEARCH_LIMIT_MESSAGE = 'Must be a whole number from 1 to 50.';

/**
 * `GET /search`: `q` is a CNIC (dashed, bare or spaced), a pass number, an application reference, a boat's
 * official number or certificate serial, a pilgrim group number, or else a name; `fatherName` narrows a name
 * search, `district` (a district code) keeps only people of that district.
 */
export const SearchQuery = z.strictObject({
  q: text(1, 120),
  fatherName: z.optional(text(1, 120)),
  district: z.optional(text(1, 32)),
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,2}$/, SEARCH_LIMIT_MESSAGE)),
      z.pipe(
        z.transform((value: string) => Number(value)),
        z.number().check(z.gte(1, SEARCH_LIMIT_MESSAGE), z.lte(50, SEARCH_LIMIT_MESSAGE)),
      ),
    ),
    20,
  ),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

/** What kind of thing `q` was read as; a name search is the fallback for anything that is not a number. */
export const SEARCH_KINDS = ['cnic', 'pass', 'application', 'vessel', 'group', 'name'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** A pass as a list shows it; EXPIRED is ACTIVE past its last day (Pakistan time). */
export const PASS_STATES = ['ACTIVE', 'EXPIRED', 'REVOKED'] as const;
export const PassSummary = z.object({
  number: z.string(),
  passType: z.string(),
  state: z.enum(PASS_STATES),
  validFrom: z.string(),
  validUntil: z.string(),
  /** The pilgrim group of a member's pass. */
  group: z.optional(z.string()),
});
export type PassSummary = z.infer<typeof PassSummary>;

export const SearchHit = z.object({
  /** XXXXX-XXXXXXX-X. */
  cnic: z.string(),
  name: z.string(),
  fatherName: z.string(),
  /** A district code where one is known (applications carry one; a boat owner may not). */
  district: z.optional(z.string()),
  passes: z.array(PassSummary),
  /** 1 for a number that names the person; for a name, how well it matches, 0 to 1. */
  score: z.number(),
  /** Where the person page is. */
  person: z.string(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResponse = z.object({
  kind: z.enum(SEARCH_KINDS),
  items: z.array(SearchHit),
});
export type SearchResponse = z.infer<typeof SearchResponse>;

/** `GET /people/{cnic}`: the CNIC bare or dashed. */
export const PersonPath = z.object({ cnic: cnicParam });
/** The person's crossings come a page at a time: `crossingsCursor` is the `crossings.next` of the last answer. */
export const PersonQuery = z.strictObject({
  crossingsCursor: z.optional(text(1, 1024)),
});

export const Actor = z.object({ sub: z.string(), role: z.enum(ROLES) });

/** One thing done to a record, from its audit items: who (role and account), when, why. */
export const HistoryEntry = z.object({
  /** ISO 8601 UTC. */
  at: z.string(),
  /** The same instant in Pakistan time, `YYYY-MM-DD HH:mm PKT`, as a page prints it. */
  atPakistan: z.string(),
  /** What was done, e.g. APPLICATION_SUBMITTED, APPLICATION_APPROVED, PASS_REVOKED, VESSEL_SUSPENDED. */
  action: z.string(),
  actor: Actor,
  reason: z.optional(z.string()),
  /** The other facts the audit item holds (a pass number, a status); never a CNIC. */
  detail: z.optional(z.record(z.string(), z.unknown())),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const History = z.array(HistoryEntry);

/** A name the person was written under, and where. */
export const NameUsed = z.object({
  name: z.string(),
  fatherName: z.string(),
  /** APP (an application), PASS, GROUP (a group member), LEADER (an organizer), VESSEL (a boat owner). */
  source: z.string(),
  /** The number of the record it was read from. */
  ref: z.string(),
});

export const PersonApplication = z.object({
  id: z.string(),
  reference: z.optional(z.string()),
  status: z.string(),
  passType: z.string(),
  validFrom: z.string(),
  validUntil: z.string(),
  createdAt: z.string(),
  submittedBy: Actor,
  decision: z.optional(z.object({ by: Actor, at: z.string(), reason: z.optional(z.string()) })),
  passNumber: z.optional(z.string()),
});

export const PersonPass = z.object({
  ...PassSummary.shape,
  issuedAt: z.string(),
  issuedBy: Actor,
  revocation: z.optional(z.object({ by: Actor, at: z.string(), reason: z.string() })),
});

export const PersonCrossing = z.object({
  at: z.string(),
  credential: z.string(),
  checkpoint: z.string(),
  direction: z.string(),
  verdict: z.optional(z.string()),
});

export const PersonGroup = z.object({
  number: z.string(),
  role: z.enum(['member', 'leader']),
  status: z.string(),
  departOn: z.string(),
  returnBy: z.string(),
  /** The member's pass in the group, once approved. */
  pass: z.optional(z.string()),
});

export const PersonVessel = z.object({
  officialNumber: z.string(),
  name: z.string(),
  status: z.string(),
  homePort: z.string(),
});

export const PersonRecord = z.object({
  cnic: z.string(),
  names: z.array(NameUsed),
  applications: z.array(PersonApplication),
  passes: z.array(PersonPass),
  crossings: z.object({ items: z.array(PersonCrossing), next: z.optional(z.string()) }),
  groups: z.array(PersonGroup),
  vessels: z.array(PersonVessel),
  /**
   * FIA only (absent for a Ministry analyst, who may not read the watchlist): the entry, or null when the CNIC is
   * not listed.
   */
  watchlist: z.optional(
    z.nullable(
      z.object({
        reason: z.string(),
        category: z.string(),
        addedAt: z.string(),
        addedBy: Actor,
      }),
    ),
  ),
});
export type PersonRecord = z.infer<typeof PersonRecord>;

/**
 * The officer queue, `GET /applications?status=…`, takes two more parameters for the office pages:
 * `q` filters the whole queue of that status on the server (a CNIC or its first digits, a reference, a name or
 * father's name as heard; best first, no `next`), and `total=true` adds `total`, how many the status holds.
 */
export const QUEUE_FILTER_PARAMS = ['q', 'total'] as const;

/** `GET /applications?mine=true`: the applicant's own applications, newest first, from any device. */
export const MineQuery = z.strictObject({ mine: z.literal('true') });

/** The 409 problem a second active pass (or a second open group) answers with; extension members of RFC 9457. */
export const ActivePassConflict = z.object({
  status: z.literal(409),
  title: z.string(),
  detail: z.string(),
  /** The pass that already covers the dates. */
  activePass: z.optional(z.string()),
  /** The other open group the member is in. */
  openGroup: z.optional(z.string()),
});
