// Reads only tests need (no route serves them): an entity's audit trail, and everything held for a CNIC.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Application, AuditEntry, Pass } from '../../functions/store/records.ts';
import type { Store } from '../../functions/store/store.ts';
import { GSIS, keys, SK_PREFIX } from '../../functions/store/table.ts';
import { strip } from '../../functions/store/transact.ts';

/** The audit trail of one entity (APP#…, PASS#…, WATCH#…), oldest first. */
export async function auditTrail(store: Store, entityPk: string): Promise<AuditEntry[]> {
  const out = await store.table.db.send(
    new QueryCommand({
      TableName: store.table.name,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :audit)',
      ExpressionAttributeValues: { ':pk': entityPk, ':audit': SK_PREFIX.audit },
    }),
  );
  return (out.Items ?? []).map((i) => strip<AuditEntry>(i) as AuditEntry);
}

/** Everything held for a CNIC (applications and passes), newest first. */
export async function byCnic(
  store: Store,
  cnic: string,
): Promise<{ applications: Application[]; passes: Pass[] }> {
  const out = await store.table.db.send(
    new QueryCommand({
      TableName: store.table.name,
      IndexName: GSIS.GSI2.indexName,
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.cnicIndex(cnic, 'APP', new Date(0).toISOString()).GSI2PK },
      ScanIndexForward: false,
      Limit: 100,
    }),
  );
  const items = out.Items ?? [];
  return {
    applications: items.filter((i) => i.kind === 'APP').map((i) => strip<Application>(i) as Application),
    passes: items.filter((i) => i.kind === 'PASS').map((i) => strip<Pass>(i) as Pass),
  };
}
