import { hasAnnotation, type JavaClass } from './model.ts';

/** What a Java class is to the port; decides which translator handles it and where its output goes. */
export type ClassRole =
  | 'application'
  | 'controller'
  | 'advice'
  | 'jpa-repository'
  | 'redis-repository'
  | 'entity'
  | 'redis-entity'
  | 'record'
  | 'data'
  | 'exception'
  | 'enum'
  | 'bean'
  | 'other';

const JPA_REPOSITORIES = [
  'JpaRepository',
  'CrudRepository',
  'ListCrudRepository',
  'PagingAndSortingRepository',
  'Repository',
];
const EXCEPTION_BASES = [
  'RuntimeException',
  'Exception',
  'IllegalStateException',
  'IllegalArgumentException',
  'ResponseStatusException',
];

/** Classifies a class from its annotations and supertypes; `entities` are the names of @Entity/@RedisHash classes. */
export function resolveRole(cls: JavaClass, redisEntities: ReadonlySet<string>): ClassRole {
  if (hasAnnotation(cls, 'SpringBootApplication')) return 'application';
  if (hasAnnotation(cls, 'RestController', 'Controller')) return 'controller';
  if (hasAnnotation(cls, 'RestControllerAdvice', 'ControllerAdvice')) return 'advice';
  if (cls.kind === 'interface') {
    const repo = cls.interfaces.find((i) => JPA_REPOSITORIES.includes(i.name));
    if (repo) return redisEntities.has(repo.args[0]?.name ?? '') ? 'redis-repository' : 'jpa-repository';
    return 'other';
  }
  if (hasAnnotation(cls, 'Entity')) return 'entity';
  if (hasAnnotation(cls, 'RedisHash')) return 'redis-entity';
  if (cls.kind === 'record') return 'record';
  if (cls.kind === 'enum') return 'enum';
  if (
    cls.superclass &&
    (EXCEPTION_BASES.includes(cls.superclass.name) || cls.superclass.name.endsWith('Exception'))
  ) {
    return 'exception';
  }
  if (hasAnnotation(cls, 'Service', 'Component', 'Repository', 'Configuration')) return 'bean';
  if (
    hasAnnotation(
      cls,
      'Data',
      'Value',
      'Getter',
      'Setter',
      'Builder',
      'AllArgsConstructor',
      'NoArgsConstructor',
    )
  ) {
    return 'data';
  }
  return cls.fields.every((f) => !f.modifiers.includes('static')) ? 'data' : 'other';
}

/** Roles whose instances are injected singletons: their calls may be async and are awaited. */
export function isBeanRole(role: ClassRole | undefined): boolean {
  return (
    role === 'bean' ||
    role === 'controller' ||
    role === 'advice' ||
    role === 'jpa-repository' ||
    role === 'redis-repository'
  );
}

/** Roles that become plain data (interfaces or classes with public fields). */
export function isDataRole(role: ClassRole | undefined): boolean {
  return role === 'entity' || role === 'redis-entity' || role === 'record' || role === 'data';
}
