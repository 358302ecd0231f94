// The roles of the platform, as Cognito groups in AWS and dev-issuer claims locally.
export const ROLES = [
  'applicant',
  'fia-officer',
  'fia-supervisor',
  'fisheries-officer',
  'checkpoint-officer',
  'moi-analyst',
] as const;

export type Role = (typeof ROLES)[number];
