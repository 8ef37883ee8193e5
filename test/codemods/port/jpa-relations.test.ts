import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadCodemodPlan,
  portJavaSources,
  readJavaSources,
  type PortedService,
} from '../../../codemods/index.ts';
import { typeCheck, writeProject } from './helpers.ts';

// JPA relations and @Query JPQL, ported (Java in → TypeScript out), type-checked, and run against real Postgres.
const FIXTURE = join(import.meta.dirname, 'fixtures', 'jpa-relations');
const PG_URL = 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const SCHEMA = `port_data_rel_${process.pid}`;

interface Owner {
  id: number;
  fullName: string;
  pets: Pet[];
}
interface Pet {
  id: number;
  name: string;
  owner: Owner;
}
interface Specialty {
  id: number;
  name: string;
}
interface Vet {
  id: number;
  name: string;
  specialties: Set<Specialty>;
}
interface Repository<T> {
  save(entity: T): Promise<T>;
  findById(id: number): Promise<T | null>;
  findAll(): Promise<T[]>;
  deleteById(id: number): Promise<void>;
}
interface PetRepository extends Repository<Pet> {
  findByOwnerId(ownerId: number): Promise<Pet[]>;
  search(ownerId: number, part: string): Promise<Pet[]>;
  ofOwnerNamed(fullName: string): Promise<Pet[]>;
  named(names: string[]): Promise<Pet[]>;
  countsByOwner(): Promise<unknown[][]>;
}
interface VetRepository extends Repository<Vet> {
  withSpecialty(specialty: string): Promise<Vet[]>;
}

let ported: PortedService;
let dir = '';
let pool: pg.Pool;
let owners: Repository<Owner>;
let pets: PetRepository;
let vets: VetRepository;
let specialties: Repository<Specialty>;
let make: {
  owner: (fullName: string) => Owner;
  pet: (name: string, owner?: Owner) => Pet;
  specialty: (name: string) => Specialty;
  vet: (name: string, ...specialties: Specialty[]) => Vet;
};

async function load<T>(file: string, name: string): Promise<T> {
  const module = (await import(join(dir, 'src', file))) as Record<string, unknown>;
  return module[name] as T;
}

beforeAll(async () => {
  ported = await portJavaSources('jpa-relations', await readJavaSources(FIXTURE));
  dir = await mkdtemp(join(tmpdir(), 'migrate-port-jpa-'));
  await writeProject(dir, ported.files);
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}; SET search_path = ${SCHEMA};
    CREATE TABLE owners (id bigserial PRIMARY KEY, full_name text NOT NULL);
    CREATE TABLE pets (id bigserial PRIMARY KEY, name text, owner_id bigint NOT NULL REFERENCES owners (id));
    CREATE TABLE specialties (id bigserial PRIMARY KEY, name text UNIQUE);
    CREATE TABLE vets (id bigserial PRIMARY KEY, name text);
    CREATE TABLE vet_specialties (vet_id bigint REFERENCES vets (id), specialty_id bigint REFERENCES specialties (id),
      PRIMARY KEY (vet_id, specialty_id));`);
  await admin.end();
  pool = new pg.Pool({ connectionString: PG_URL, options: `-c search_path=${SCHEMA}`, max: 2 });
  type Ctor<T> = new (pool: pg.Pool) => T;
  owners = new (await load<Ctor<Repository<Owner>>>('owner-repository.ts', 'OwnerRepository'))(pool);
  pets = new (await load<Ctor<PetRepository>>('pet-repository.ts', 'PetRepository'))(pool);
  vets = new (await load<Ctor<VetRepository>>('vet-repository.ts', 'VetRepository'))(pool);
  specialties = new (await load<Ctor<Repository<Specialty>>>(
    'specialty-repository.ts',
    'SpecialtyRepository',
  ))(pool);
  const OwnerClass = await load<new () => Owner>('owner.ts', 'Owner');
  const PetClass = await load<new () => Pet>('pet.ts', 'Pet');
  const SpecialtyClass = await load<new (name: string) => Specialty>('specialty.ts', 'Specialty');
  const VetClass = await load<new () => Vet>('vet.ts', 'Vet');
  make = {
    owner: (fullName) => Object.assign(new OwnerClass(), { fullName }),
    pet: (name, owner) => Object.assign(new PetClass(), owner ? { name, owner } : { name }),
    specialty: (name) => new SpecialtyClass(name),
    vet: (name, ...list) => {
      const vet = Object.assign(new VetClass(), { name });
      for (const s of list) vet.specialties.add(s);
      return vet;
    },
  };
});

afterAll(async () => {
  await pool?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await pool?.end();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('port of JPA relations and @Query', () => {
  it('generates the expected repositories and entities, which compile with tsc --strict', async () => {
    for (const path of ['src/pet-repository.ts', 'src/vet-repository.ts', 'src/specialty.ts'])
      await expect(ported.files.get(path)).toMatchFileSnapshot(join(FIXTURE, 'expected', path));
    expect(typeCheck(dir)).toEqual([]);
    expect(ported.report).toMatchObject({ typecheck: { checked: true, errors: [] }, typecheck_errors: 0 });
  });

  it('still compiles once `migrate codemod` has moved the repositories onto the sql capability', async () => {
    const moved = await mkdtemp(join(tmpdir(), 'migrate-port-rel-codemod-'));
    try {
      await writeProject(moved, ported.files);
      for (const write of loadCodemodPlan(moved).writes) {
        await mkdir(dirname(join(moved, write.path)), { recursive: true });
        await writeFile(join(moved, write.path), write.content);
      }
      // the @ManyToOne load passes its ids to caps.sql.query, whose parameters are typed (SqlValue)
      expect(await readFile(join(moved, 'src/pet-repository.ts'), 'utf8')).toContain('caps.sql.query(');
      expect(typeCheck(moved)).toEqual([]);
    } finally {
      await rm(moved, { recursive: true, force: true });
    }
  });

  it('writes the @ManyToOne foreign key from the owner and reads the owner back with the pet', async () => {
    const owner = await owners.save(make.owner('Ada Brandt'));
    const pet = await pets.save(make.pet('Rex', owner));
    const row = await pool.query('SELECT owner_id FROM pets WHERE id = $1', [pet.id]);
    expect(Number((row.rows[0] as { owner_id: string }).owner_id)).toBe(owner.id);
    const read = await pets.findById(pet.id);
    expect(read?.owner).toMatchObject({ id: owner.id, fullName: 'Ada Brandt' });
    expect((await pets.findByOwnerId(owner.id)).map((p) => p.name)).toEqual(['Rex']);
  });

  it('refuses a pet with no owner or an unsaved owner, as Hibernate does, and writes nothing', async () => {
    const before = await pool.query('SELECT count(*) AS n FROM pets');
    await expect(pets.save(make.pet('Stray'))).rejects.toThrow(
      /not-null property references a null.*Pet\.owner/,
    );
    await expect(pets.save(make.pet('Stray', make.owner('Nobody')))).rejects.toThrow(
      /unsaved transient instance: Pet\.owner/,
    );
    expect((await pool.query('SELECT count(*) AS n FROM pets')).rows).toEqual(before.rows);
  });

  it('reads the @OneToMany(mappedBy) side in @OrderBy order, each child pointing back at its owner', async () => {
    const owner = await owners.save(make.owner('Tomas Reyes'));
    await pets.save(make.pet('Zed', owner));
    await pets.save(make.pet('Abe', owner));
    const read = await owners.findById(owner.id);
    expect(read?.pets.map((p) => p.name)).toEqual(['Zed', 'Abe']);
    expect(read?.pets.every((p) => p.owner === read)).toBe(true);
  });

  it('writes @ManyToMany pairs into the join table, reads them back, replaces them on save, deletes them', async () => {
    const surgery = await specialties.save(make.specialty('surgery'));
    const dentistry = await specialties.save(make.specialty('dentistry'));
    const vet = await vets.save(make.vet('Mei Okafor', surgery, dentistry));
    const pairs = async (): Promise<number[]> =>
      (
        await pool.query('SELECT specialty_id FROM vet_specialties WHERE vet_id = $1 ORDER BY specialty_id', [
          vet.id,
        ])
      ).rows.map((r: { specialty_id: string }) => Number(r.specialty_id));
    expect(await pairs()).toEqual([surgery.id, dentistry.id].sort((a, b) => a - b));
    const read = await vets.findById(vet.id);
    expect([...(read?.specialties ?? [])].map((s) => s.name).sort()).toEqual(['dentistry', 'surgery']);
    read?.specialties.clear();
    read?.specialties.add(dentistry);
    await vets.save(read!);
    expect(await pairs()).toEqual([dentistry.id]);
    await expect(vets.save(make.vet('Unsaved', make.specialty('radiology')))).rejects.toThrow(
      /unsaved transient instance: Vet\.specialties/,
    );
    await vets.deleteById(vet.id);
    expect(await pairs()).toEqual([]);
  });

  it('runs @Query JPQL as SQL: named and positional parameters, LIKE with CONCAT, joins, IN with a list', async () => {
    const owner = await owners.save(make.owner('Lena Park'));
    await pets.save(make.pet('Biscuit', owner));
    await pets.save(make.pet('Moss', owner));
    expect((await pets.search(owner.id, 'CUI')).map((p) => p.name)).toEqual(['Biscuit']);
    expect((await pets.ofOwnerNamed('Lena Park')).map((p) => p.name)).toEqual(['Moss', 'Biscuit']);
    expect((await pets.named(['Moss', 'nobody'])).map((p) => p.name)).toEqual(['Moss']);
    const surgeon = await vets.save(
      make.vet('Ivo Surgeon', await specialties.save(make.specialty('orthopedics'))),
    );
    expect((await vets.withSpecialty('orthopedics')).map((v) => v.id)).toEqual([surgeon.id]);
    expect(await vets.withSpecialty('none')).toEqual([]);
  });

  it('leaves a @Query it cannot translate as a TODO that throws, with the reason in the report', async () => {
    await expect(pets.countsByOwner()).rejects.toThrow(
      /TODO\(migrate\): @Query not translated.*PetRepository\.java:15/,
    );
    expect(ported.report.todos.map((t) => `${t.member} ${t.line}: ${t.why}`)).toEqual([
      'PetRepository.countsByOwner 15: @Query not translated: a query that selects something other than its entity (a projection, aggregate or constructor)',
    ]);
    expect(ported.report.dropped.filter((d) => /ManyToMany|JoinTable|Param/.test(d.construct))).toEqual([]);
  });
});
