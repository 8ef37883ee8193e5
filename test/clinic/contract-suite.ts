import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJsonError, quoteIdent, request, waitFor } from '../contract/contract-suite.ts';

/**
 * Where an implementation of the spring-clinic estate runs. The same suite runs against the Spring services and,
 * once ported, against their WebAssembly components: only these addresses change.
 */
export interface ClinicTarget {
  /** Shown in the suite's title, e.g. `spring` or `wasm`. */
  name: string;
  /** Base URL of records-service, without a trailing slash. */
  recordsUrl: string;
  /** Base URL of visit-service. */
  visitUrl: string;
  /** Base URL of billing-service. */
  billingUrl: string;
  /** Base URL of reminder-service. */
  reminderUrl: string;
  /** The Postgres database and schema that records and visit write to. */
  pg: { connectionString: string; schema: string };
  /** The Redis server and database index that billing writes to. */
  redis: { url: string; db: number };
}

/** A target known when the suite is defined, or one resolved once an outer `beforeAll` has run. */
export type ClinicTargetSource = ClinicTarget | { name: string; resolve: () => ClinicTarget };

interface Owner {
  id: number;
  fullName: string;
  phone: string;
  pets: Pet[];
}

interface Pet {
  id: number;
  name: string;
  species: string;
  birthDate: string | null;
  ownerId: number;
}

interface Visit {
  id: number;
  ownerId: number;
  petId: number;
  petName: string;
  date: string;
  reason: string;
}

/** A bound for an event that never comes: delivery takes milliseconds, seconds on a busy machine. */
const EVENT_WAIT_MS = 90_000;

/** The vets records-service seeds into an empty database, in id order. */
const SEEDED_VETS = [
  { fullName: 'Ada Brandt', onCall: true, specialties: ['dentistry', 'surgery'] },
  { fullName: 'Tomas Reyes', onCall: false, specialties: ['radiology'] },
  { fullName: 'Mei Okafor', onCall: true, specialties: [] },
];

/**
 * Registers the contract of the spring-clinic estate as vitest suites: status codes, bodies, the rows written to
 * Postgres (foreign keys and join tables included), the hashes written to Redis and the events delivered over NATS
 * (seen through reminder-service).
 */
export function defineClinicContractSuite(source: ClinicTargetSource): void {
  describe(`spring-clinic contract (${source.name})`, () => {
    let target: ClinicTarget;
    let db: pg.Pool;
    let redis: Redis;
    const table = (name: string): string => `${quoteIdent(target.pg.schema)}.${quoteIdent(name)}`;
    const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const ownerName = `Contract Owner ${unique}`;
    let owner: Owner | undefined;
    let pet: Pet | undefined;
    let visit: Visit | undefined;

    beforeAll(async () => {
      target = 'resolve' in source ? source.resolve() : source;
      db = new pg.Pool({ connectionString: target.pg.connectionString, max: 2 });
      redis = new Redis(target.redis.url, {
        db: target.redis.db,
        lazyConnect: true,
        maxRetriesPerRequest: 2,
      });
      await redis.connect();
    });

    afterAll(async () => {
      await db?.end();
      redis?.disconnect();
    });

    describe('records', () => {
      it('lists the seeded vets with onCall booleans and their specialties from the join table', async () => {
        const response = await request('GET', `${target.recordsUrl}/vets`);
        expect(response.status).toBe(200);
        expect(response.contentType).toMatch(/json/);
        const vets = response.body as { id: number; fullName: string }[];
        expect(vets.map(({ id: _id, ...rest }) => rest)).toEqual(SEEDED_VETS);
        const ids = vets.map((v) => v.id);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        const joins = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table('vet_specialties')}`);
        expect(Number(joins.rows[0]?.n)).toBe(3);
      });

      it('filters vets by specialty through the join table', async () => {
        const response = await request('GET', `${target.recordsUrl}/vets?specialty=surgery`);
        expect(response.status).toBe(200);
        expect((response.body as { fullName: string }[]).map((v) => v.fullName)).toEqual(['Ada Brandt']);
        const none = await request('GET', `${target.recordsUrl}/vets?specialty=astrology`);
        expect(none.body).toEqual([]);
      });

      it('answers /api/<any version>/vets like /vets, and 404 for two segments in the wildcard', async () => {
        const plain = await request('GET', `${target.recordsUrl}/vets`);
        for (const version of ['v1', 'v2']) {
          const response = await request('GET', `${target.recordsUrl}/api/${version}/vets`);
          expect(response.status).toBe(200);
          expect(response.body).toEqual(plain.body);
        }
        const response = await request('GET', `${target.recordsUrl}/api/v1/extra/vets`);
        expect(response.status).toBe(404);
      });

      it('answers 410 with the path for anything under /archive/', async () => {
        const response = await request('GET', `${target.recordsUrl}/archive/1999/box/3`);
        expect(response.status).toBe(410);
        expect(response.body).toEqual({ message: '/archive/1999/box/3 is archived; use /owners instead' });
      });

      it('registers an owner: 201 with the trimmed fields and no pets, stored as a row', async () => {
        const response = await request('POST', `${target.recordsUrl}/owners`, {
          fullName: `  ${ownerName} `,
          phone: '555-0101',
        });
        expect(response.status).toBe(201);
        expect(response.contentType).toMatch(/json/);
        expect(response.body).toEqual({
          id: expect.any(Number),
          fullName: ownerName,
          phone: '555-0101',
          pets: [],
        });
        owner = response.body as Owner;
        const rows = await db.query(`SELECT full_name, phone FROM ${table('owners')} WHERE id = $1`, [
          owner.id,
        ]);
        expect(rows.rows).toEqual([{ full_name: ownerName, phone: '555-0101' }]);
      });

      it('adds a pet to the owner: 201, species lower-cased, the owner_id foreign key written', async () => {
        expect(owner).toBeDefined();
        const id = owner?.id ?? 0;
        const response = await request('POST', `${target.recordsUrl}/owners/${id}/pets`, {
          name: 'Rex',
          species: 'Dog',
          birthDate: '2020-02-01',
        });
        expect(response.status).toBe(201);
        expect(response.body).toEqual({
          id: expect.any(Number),
          name: 'Rex',
          species: 'dog',
          birthDate: '2020-02-01',
          ownerId: id,
        });
        pet = response.body as Pet;
        const rows = await db.query(`SELECT owner_id FROM ${table('pets')} WHERE id = $1`, [pet.id]);
        expect(rows.rows.map((r: { owner_id: string }) => Number(r.owner_id))).toEqual([id]);
      });

      it('reads the owner with its pets (the one-to-many side)', async () => {
        const response = await request('GET', `${target.recordsUrl}/owners/${owner?.id ?? 0}`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ ...owner, pets: [pet] });
      });

      it('lists every owner by id, and searches by a part of the name whatever its case', async () => {
        const all = await request('GET', `${target.recordsUrl}/owners`);
        expect(all.status).toBe(200);
        const list = all.body as Owner[];
        const ids = list.map((o) => o.id);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        expect(list.find((o) => o.id === owner?.id)).toEqual({ ...owner, pets: [pet] });

        const found = await request('GET', `${target.recordsUrl}/owners?name=${unique.toUpperCase()}`);
        expect(found.status).toBe(200);
        expect(found.body).toEqual([{ ...owner, pets: [pet] }]);
      });

      it('reads a pet through its owner, and 404 through another owner', async () => {
        const ok = await request('GET', `${target.recordsUrl}/owners/${owner?.id ?? 0}/pets/${pet?.id ?? 0}`);
        expect(ok.status).toBe(200);
        expect(ok.body).toEqual(pet);
        expectJsonError(
          await request(
            'GET',
            `${target.recordsUrl}/owners/${(owner?.id ?? 0) + 100000}/pets/${pet?.id ?? 0}`,
          ),
          404,
        );
      });

      it('lists pets of a species', async () => {
        const response = await request('GET', `${target.recordsUrl}/pets/species/DOG`);
        expect(response.status).toBe(200);
        expect(response.body as Pet[]).toContainEqual(pet);
      });

      it('answers 404 for an unknown owner and 400 for a bad id or body', async () => {
        expectJsonError(await request('GET', `${target.recordsUrl}/owners/987654321`), 404);
        expectJsonError(await request('GET', `${target.recordsUrl}/owners/not-a-number`), 400);
        expectJsonError(
          await request('POST', `${target.recordsUrl}/owners`, { fullName: ' ', phone: '1' }),
          400,
        );
        expectJsonError(await request('POST', `${target.recordsUrl}/owners`, '{"fullName": '), 400);
        expectJsonError(
          await request('POST', `${target.recordsUrl}/owners/987654321/pets`, { name: 'a', species: 'b' }),
          404,
        );
      });
    });

    describe('visits', () => {
      it('books a visit after asking records for the pet: 201 with its name, stored as a row', async () => {
        expect(pet).toBeDefined();
        const response = await request('POST', `${target.visitUrl}/visits`, {
          ownerId: owner?.id,
          petId: pet?.id,
          date: '2027-01-10',
          reason: ' vaccination ',
        });
        expect(response.status).toBe(201);
        expect(response.contentType).toMatch(/json/);
        expect(response.body).toEqual({
          id: expect.any(Number),
          ownerId: owner?.id,
          petId: pet?.id,
          petName: 'Rex',
          date: '2027-01-10',
          reason: 'vaccination',
        });
        visit = response.body as Visit;
        const rows = await db.query(
          `SELECT owner_id, pet_id, pet_name, to_char(visit_date, 'YYYY-MM-DD') AS visit_date, reason
             FROM ${table('visits')} WHERE id = $1`,
          [visit.id],
        );
        expect(rows.rows).toEqual([
          {
            owner_id: String(owner?.id),
            pet_id: String(pet?.id),
            pet_name: 'Rex',
            visit_date: '2027-01-10',
            reason: 'vaccination',
          },
        ]);
      });

      it(
        'delivers a visit-booked event to reminder-service, which reminds a day before',
        async () => {
          expect(visit).toBeDefined();
          const reminder = await waitFor('delivery of the visit-booked event', EVENT_WAIT_MS, async () => {
            const response = await request('GET', `${target.reminderUrl}/reminders/${visit?.id ?? 0}`);
            return response.status === 200 ? response.body : undefined;
          });
          expect(reminder).toEqual({
            visitId: visit?.id,
            ownerId: owner?.id,
            petName: 'Rex',
            visitDate: '2027-01-10',
            remindOn: '2027-01-09',
            text: 'Rex is due for vaccination on 2027-01-10',
          });
          const all = await request('GET', `${target.reminderUrl}/reminders`);
          expect(all.body as unknown[]).toContainEqual(reminder);
        },
        EVENT_WAIT_MS + 60_000,
      );

      it('reads the visit, and lists the owner’s visits', async () => {
        const one = await request('GET', `${target.visitUrl}/visits/${visit?.id ?? 0}`);
        expect(one.status).toBe(200);
        expect(one.body).toEqual(visit);
        const list = await request('GET', `${target.visitUrl}/visits?ownerId=${owner?.id ?? 0}`);
        expect(list.status).toBe(200);
        expect(list.body).toEqual([visit]);
      });

      it('answers 404 and stores nothing for a pet records does not know for this owner', async () => {
        const before = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table('visits')}`);
        expectJsonError(
          await request('POST', `${target.visitUrl}/visits`, {
            ownerId: owner?.id,
            petId: 987654321,
            date: '2027-01-11',
            reason: 'checkup',
          }),
          404,
        );
        const after = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table('visits')}`);
        expect(after.rows).toEqual(before.rows);
      });

      it('answers 400 for an incomplete booking, 404 for an unknown visit and 404 for an unknown reminder', async () => {
        expectJsonError(await request('POST', `${target.visitUrl}/visits`, { ownerId: owner?.id }), 400);
        expect((await request('GET', `${target.visitUrl}/visits/987654321`)).status).toBe(404);
        expectJsonError(await request('GET', `${target.reminderUrl}/reminders/987654321`), 404);
      });
    });

    describe('billing', () => {
      let invoiceId = '';

      it('lists the seeded price list by code', async () => {
        const response = await request('GET', `${target.billingUrl}/prices`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual([
          { code: 'checkup', cents: 4500 },
          { code: 'dental', cents: 12000 },
          { code: 'vaccination', cents: 3000 },
        ]);
      });

      it('issues an invoice: 201, the total of its items, unpaid, stored as a Redis hash', async () => {
        const response = await request('POST', `${target.billingUrl}/invoices`, {
          visitId: 42,
          items: ['checkup', 'vaccination'],
        });
        expect(response.status).toBe(201);
        expect(response.body).toEqual({
          id: expect.any(String),
          visitId: 42,
          items: ['checkup', 'vaccination'],
          totalCents: 7500,
          currency: 'EUR',
          paid: false,
        });
        invoiceId = (response.body as { id: string }).id;
        expect(await redis.hgetall(`invoice:${invoiceId}`)).toEqual({
          visitId: '42',
          items: 'checkup,vaccination',
          totalCents: '7500',
          currency: 'EUR',
          paid: 'false',
        });
      });

      it('pays an invoice once: 200 paid, then 409', async () => {
        const paid = await request('POST', `${target.billingUrl}/invoices/${invoiceId}/payment`);
        expect(paid.status).toBe(200);
        expect(paid.body).toMatchObject({ id: invoiceId, paid: true });
        expect(await redis.hget(`invoice:${invoiceId}`, 'paid')).toBe('true');
        expectJsonError(await request('POST', `${target.billingUrl}/invoices/${invoiceId}/payment`), 409);
        const read = await request('GET', `${target.billingUrl}/invoices/${invoiceId}`);
        expect(read.body).toMatchObject({ id: invoiceId, paid: true, totalCents: 7500 });
      });

      it('answers 400 for an unknown price code or no items, 404 for an unknown invoice', async () => {
        expectJsonError(
          await request('POST', `${target.billingUrl}/invoices`, { visitId: 1, items: ['x'] }),
          400,
        );
        expectJsonError(
          await request('POST', `${target.billingUrl}/invoices`, { visitId: 1, items: [] }),
          400,
        );
        expectJsonError(await request('GET', `${target.billingUrl}/invoices/no-such-invoice`), 404);
      });
    });

    describe('health', () => {
      it.each(['recordsUrl', 'visitUrl', 'billingUrl', 'reminderUrl'] as const)(
        'reports UP on /actuator/health for %s',
        async (key) => {
          const response = await request('GET', `${target[key]}/actuator/health`);
          expect(response.status).toBe(200);
          expect(response.body).toMatchObject({ status: 'UP' });
        },
      );
    });
  });
}
