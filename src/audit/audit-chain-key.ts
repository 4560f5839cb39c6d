import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Carries the audit chain's key on a database handle, so every append through it (and through its
 * transactions) is keyed, without threading the key through each use case that records an entry.
 * NOTE: a Kysely plugin because Kysely hands its plugins on to every transaction and connection it opens;
 * this one leaves queries and results untouched. The key is a private field: it never serialises.
 */
class AuditChainKey implements KyselyPlugin {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  get key(): Buffer {
    return this.#key;
  }

  transformQuery(args: PluginTransformQueryArgs): PluginTransformQueryArgs['node'] {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<PluginTransformResultArgs['result']> {
    return Promise.resolve(args.result);
  }
}

/** The handle the app uses: entries it appends are keyed with `key` (unkeyed when there is none). */
export function withAuditChainKey(db: Db, key: Buffer | undefined): Db {
  return key === undefined ? db : db.withPlugin(new AuditChainKey(key));
}

/** The audit key a handle (or a transaction opened from it) carries, if any. */
export function auditChainKeyOf(db: Pick<Db, 'getExecutor'>): Buffer | undefined {
  const plugin = db.getExecutor().plugins.find((candidate) => candidate instanceof AuditChainKey);
  return plugin instanceof AuditChainKey ? plugin.key : undefined;
}
