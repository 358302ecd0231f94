// The HTTP API as data: every route, the function (route group) that serves it, who may call it and what it may sign.
// The CDK stack and the local server both read this, so a route is added in one place.
import type { Role } from '../shared/schemas.ts';

export interface RouteGroup {
  /** Source file under functions/ whose `handler` serves every route of the group. */
  entry: string;
  routes: readonly string[];
  /** Routes served without a token (no JWT authorizer). */
  publicRoutes?: readonly string[];
  /** Which KMS key the group signs with, if any: `pass` issues credentials, `root` signs trust bundles. */
  signs?: 'pass' | 'root';
  /** Needs the pass-signing public keys (JWKS, trust bundle). */
  readsPublicKeys?: boolean;
  /** Table access the group needs. */
  table: 'read' | 'readWrite';
}

export const ROUTE_GROUPS = {
  applications: {
    entry: 'functions/applications.ts',
    routes: [
      'POST /applications',
      'GET /applications',
      'GET /applications/{id}',
      'POST /applications/{id}/approve',
      'POST /applications/{id}/reject',
    ],
    signs: 'pass',
    table: 'readWrite',
  },
  passes: {
    entry: 'functions/passes.ts',
    routes: [
      'GET /passes/{no}',
      'GET /passes/{no}/qr.svg',
      'GET /passes/{no}/qr.png',
      'GET /passes/{no}/card',
      'POST /passes/{no}/revoke',
    ],
    table: 'readWrite',
  },
  watchlist: {
    entry: 'functions/watchlist.ts',
    routes: ['GET /watchlist/{cnic}', 'PUT /watchlist/{cnic}', 'DELETE /watchlist/{cnic}'],
    table: 'readWrite',
  },
  trust: {
    entry: 'functions/trust.ts',
    routes: ['GET /.well-known/jwks.json', 'GET /trust-bundle'],
    publicRoutes: ['GET /.well-known/jwks.json'],
    signs: 'root',
    readsPublicKeys: true,
    table: 'read',
  },
  health: {
    entry: 'functions/health.ts',
    routes: ['GET /health'],
    publicRoutes: ['GET /health'],
    table: 'read',
  },
} as const satisfies Record<string, RouteGroup>;

export type RouteGroupName = keyof typeof ROUTE_GROUPS;

/** Who may call each authorized route. Handlers enforce it; the route × role test checks it end to end. */
export const FIA: readonly Role[] = ['fia-officer', 'fia-supervisor'];
