// The second reference estate, analyzed statically (no JVM): samples/spring-clinic. Its contract suite against the
// running services is `npm run e2e:clinic` (test/clinic), outside the default test run.
import { describe, expect, it } from 'vitest';
import { analyzeEstate, createOpenApi } from '../../analyzer/index.ts';

describe('analyze samples/spring-clinic', async () => {
  const estate = await analyzeEstate('samples/spring-clinic');
  const service = (id: string) => estate.services.find((s) => s.id === id)!;

  it('finds the four services and every endpoint, wildcards and same-named handlers included', () => {
    expect(
      estate.services.flatMap((s) =>
        s.endpoints.map((e) => `${s.id} ${e.method} ${e.path} ${e.status} ${e.handler}`),
      ),
    ).toEqual([
      'billing-service POST /invoices 201 BillingController.issue',
      'billing-service GET /invoices/{id} 200 BillingController.invoice',
      'billing-service POST /invoices/{id}/payment 200 BillingController.pay',
      'billing-service GET /prices 200 BillingController.prices',
      'records-service GET /api/*/vets 200 VetController.versionedVets',
      'records-service GET /archive/** 200 VetController.archive',
      'records-service GET /owners 200 OwnerController.owners',
      'records-service GET /owners 200 OwnerController.owners',
      'records-service POST /owners 201 OwnerController.register',
      'records-service GET /owners/{id} 200 OwnerController.owner',
      'records-service POST /owners/{id}/pets 201 OwnerController.addPet',
      'records-service GET /owners/{ownerId}/pets/{petId} 200 OwnerController.pet',
      'records-service GET /pets/species/{species} 200 VetController.petsOfSpecies',
      'records-service GET /vets 200 VetController.vets',
      'reminder-service GET /reminders 200 ReminderController.reminders',
      'reminder-service GET /reminders/{visitId} 200 ReminderController.reminder',
      'visit-service GET /visits 200 VisitController.visitsOf',
      'visit-service POST /visits 201 VisitController.book',
      'visit-service GET /visits/{id} 200 VisitController.visit',
    ]);
  });

  it('draws the edges: WebClient.Builder to records, the static subject to reminder, application.yml stores', () => {
    expect(estate.edges.map((e) => `${e.from} --${e.kind}--> ${e.to ?? '?'} ${e.detail}`)).toEqual([
      'billing-service --kv--> redis spring.data.redis.host → redis',
      'records-service --sql--> postgres spring.datasource.url → jdbc:postgresql://postgres:5432/test?currentSchema=public',
      'visit-service --http--> records-service ${records.url}',
      'visit-service --message--> reminder-service clinic.visits.booked',
      'visit-service --sql--> postgres spring.datasource.url → jdbc:postgresql://postgres:5432/test?currentSchema=public',
    ]);
    expect(estate.findings).toEqual([]);
  });

  it('finds the effects of static initializers, startup listeners and CompletableFuture on the request path', () => {
    const rows = (id: string, kinds: readonly string[]): string[] =>
      service(id)
        .effects.filter((e) => kinds.includes(e.kind))
        .map((e) => `${e.kind} ${e.detail.summary} @ ${e.via.map((v) => v.symbol).join(' > ')}`);
    expect(rows('visit-service', ['config', 'publish', 'http-out', 'thread'])).toEqual([
      'config @Value records.url @ RecordsClient.<init>',
      'http-out GET ${records.url}/owners/{ownerId}/pets/{petId} @ VisitController.book > VisitService.book > RecordsClient.findPet',
      'thread Executors.newFixedThreadPool @ AsyncConfig.lookupExecutor',
      'config System.getenv NATS_URL @ VisitEvents.<clinit>',
      'config System.getenv NATS_SUBJECT @ VisitEvents.<clinit>',
      'publish publish ${NATS_SUBJECT:clinic.visits.booked} @ VisitController.book > VisitService.book > VisitService.store > VisitEvents.publish',
      'thread CompletableFuture.supplyAsync @ VisitController.book > VisitService.book',
    ]);
    expect(rows('reminder-service', ['config', 'subscribe'])).toEqual([
      'config System.getenv NATS_URL @ ReminderListener.<clinit>',
      'config @Value nats.subject @ ',
      'config @Value reminders.days-before @ ',
      'subscribe subscribe ${nats.subject} @ ReminderListener.subscribe',
    ]);
  });

  it('reads the JPA relations of records-service', () => {
    expect(
      service('records-service')
        .types.filter((t) => t.kind === 'entity')
        .map((t) => [t.table, t.fields.filter((f) => f.relation !== undefined).map((f) => f.relation)]),
    ).toEqual([
      ['owners', ['OneToMany Pet']],
      ['pets', ['ManyToOne Owner']],
      ['specialties', []],
      ['vets', ['ManyToMany Specialty']],
    ]);
  });

  it('writes a valid OpenAPI document for records-service: one GET /owners, unique operationIds', () => {
    const doc = createOpenApi(service('records-service')) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/owners']?.get?.operationId).toBe('OwnerController_owners');
  });
});
