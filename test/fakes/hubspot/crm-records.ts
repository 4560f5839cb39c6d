// The local HubSpot portal's records: deals with their line items, companies and contacts, held the
// way CRM v3 holds them (numeric string ids, every property a string or null).

export type CrmObjectType = 'deals' | 'line_items' | 'companies' | 'contacts';

export const CRM_OBJECT_TYPES: readonly CrmObjectType[] = ['deals', 'line_items', 'companies', 'contacts'];

export interface CrmRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
}

export interface DealLinks {
  lineItemIds: string[];
  /** The primary company first, when there is one. */
  primaryCompanyId: string | undefined;
  companyIds: string[];
  contactIds: string[];
}

export interface LineItemSeed {
  id?: string;
  name: string;
  /** Decimal strings, as HubSpot stores them. */
  quantity: string;
  price: string;
  /** An amount off (HubSpot's `discount`). */
  discount?: string;
  sku?: string;
}

export interface CompanySeed {
  id?: string;
  name: string;
  domain?: string;
}

export interface ContactSeed {
  id?: string;
  email: string;
  firstName?: string;
  lastName?: string;
}

export interface DealSeed {
  id?: string;
  name: string;
  /** Default 'closedwon' (the default pipeline's closed-won stage). */
  stage?: string;
  pipeline?: string;
  /** ISO 8601; default now. null leaves the deal without a close date. */
  closedAt?: string | null;
  /** Default 'USD'; null leaves `deal_currency_code` empty, as in single-currency portals. */
  currency?: string | null;
  lines?: readonly LineItemSeed[];
  /** The deal's primary company. */
  company?: CompanySeed;
  /** More companies, associated without a label. */
  otherCompanies?: readonly CompanySeed[];
  contact?: ContactSeed;
}

export interface SeededDeal {
  dealId: string;
  lineItemIds: string[];
  /** The primary company. */
  companyId: string | undefined;
  otherCompanyIds: string[];
  contactId: string | undefined;
}

// NOTE: contacts call their modified date `lastmodifieddate`; the other objects `hs_lastmodifieddate`.
const ALWAYS_RETURNED: Record<CrmObjectType, readonly string[]> = {
  deals: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  line_items: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  companies: ['createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  contacts: ['createdate', 'lastmodifieddate', 'hs_object_id'],
};

/** What a read without `properties` returns. */
const DEFAULT_PROPERTIES: Record<CrmObjectType, readonly string[]> = {
  deals: ['amount', 'closedate', 'dealname', 'dealstage', 'pipeline'],
  line_items: ['name', 'price', 'quantity'],
  companies: ['domain', 'name'],
  contacts: ['email', 'firstname', 'lastname'],
};

const LINK_FIELDS = { line_items: 'lineItemIds', companies: 'companyIds', contacts: 'contactIds' } as const;

const ID_BASES: Record<CrmObjectType, number> = {
  deals: 21_000_000_001,
  line_items: 31_000_000_001,
  companies: 41_000_000_001,
  contacts: 51_000_000_001,
};

export class CrmRecords {
  readonly objects: Record<CrmObjectType, Map<string, CrmRecord>> = {
    deals: new Map(),
    line_items: new Map(),
    companies: new Map(),
    contacts: new Map(),
  };
  readonly dealLinks = new Map<string, DealLinks>();
  private readonly issued: Record<CrmObjectType, number> = { ...ID_BASES };

  private newId(type: CrmObjectType, wanted: string | undefined): string {
    if (wanted !== undefined) {
      if (!/^\d+$/.test(wanted)) throw new RangeError(`HubSpot ids are digits, not "${wanted}"`);
      if (this.objects[type].has(wanted)) throw new RangeError(`${type} ${wanted} already exists`);
      return wanted;
    }
    let id: string;
    do {
      id = String(this.issued[type]);
      this.issued[type] += 1;
    } while (this.objects[type].has(id));
    return id;
  }

  private put(
    type: CrmObjectType,
    wantedId: string | undefined,
    properties: Record<string, string | null>,
    now: Date,
  ): string {
    const id = this.newId(type, wantedId);
    const at = now.toISOString();
    const modified = type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
    this.objects[type].set(id, {
      id,
      properties: { ...properties, createdate: at, [modified]: at, hs_object_id: id },
      createdAt: at,
      updatedAt: at,
    });
    return id;
  }

  addDeal(seed: DealSeed, now: Date): SeededDeal {
    const lineItemIds = (seed.lines ?? []).map((line) =>
      this.put(
        'line_items',
        line.id,
        {
          name: line.name,
          quantity: line.quantity,
          price: line.price,
          discount: line.discount ?? null,
          hs_sku: line.sku ?? null,
        },
        now,
      ),
    );
    const companyId =
      seed.company === undefined
        ? undefined
        : this.put(
            'companies',
            seed.company.id,
            { name: seed.company.name, domain: seed.company.domain ?? null },
            now,
          );
    const otherCompanyIds = (seed.otherCompanies ?? []).map((company) =>
      this.put('companies', company.id, { name: company.name, domain: company.domain ?? null }, now),
    );
    const contactId =
      seed.contact === undefined
        ? undefined
        : this.put(
            'contacts',
            seed.contact.id,
            {
              email: seed.contact.email,
              firstname: seed.contact.firstName ?? null,
              lastname: seed.contact.lastName ?? null,
            },
            now,
          );
    const dealId = this.put(
      'deals',
      seed.id,
      {
        dealname: seed.name,
        dealstage: seed.stage ?? 'closedwon',
        pipeline: seed.pipeline ?? 'default',
        closedate: seed.closedAt === undefined ? now.toISOString() : seed.closedAt,
        deal_currency_code: seed.currency === undefined ? 'USD' : seed.currency,
        amount: null,
      },
      now,
    );
    this.dealLinks.set(dealId, {
      lineItemIds,
      primaryCompanyId: companyId,
      companyIds: companyId === undefined ? otherCompanyIds : [companyId, ...otherCompanyIds],
      contactIds: contactId === undefined ? [] : [contactId],
    });
    return { dealId, lineItemIds, companyId, otherCompanyIds, contactId };
  }

  /**
   * Deletes a record, and its associations as HubSpot does. `leaveAssociations` keeps them, as if the
   * record went between a deal read and the next read (the race a client must survive).
   */
  remove(type: CrmObjectType, id: string, options: { leaveAssociations?: boolean } = {}): boolean {
    const removed = this.objects[type].delete(id);
    if (type === 'deals') {
      this.dealLinks.delete(id);
      return removed;
    }
    if (options.leaveAssociations === true) return removed;
    const field = LINK_FIELDS[type];
    for (const links of this.dealLinks.values())
      links[field] = links[field].filter((linked) => linked !== id);
    return removed;
  }

  /** The record's wire properties: those asked for that exist (null when empty), plus the ones always sent. */
  propertiesOf(
    type: CrmObjectType,
    record: CrmRecord,
    requested: readonly string[] | undefined,
  ): Record<string, string | null> {
    const names = new Set([...(requested ?? DEFAULT_PROPERTIES[type]), ...ALWAYS_RETURNED[type]]);
    const properties: Record<string, string | null> = {};
    for (const name of [...names].sort()) {
      // NOTE: HubSpot leaves out properties the portal does not define and sends null for empty ones.
      if (Object.hasOwn(record.properties, name)) properties[name] = record.properties[name] ?? null;
    }
    return properties;
  }
}
