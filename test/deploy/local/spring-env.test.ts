import { describe, expect, it } from 'vitest';
import {
  assignProperty,
  getReferencedKey,
  matchTemplate,
  resolveTemplate,
  toRelaxedEnvName,
} from '../../../deploy/local/spring-env.ts';

const JDBC =
  'jdbc:postgresql://${DB_HOST:127.0.0.1}:${DB_PORT:5432}/${DB_NAME:test}?currentSchema=${DB_SCHEMA:public}';

describe('Spring property templates', () => {
  it('resolves placeholders from the environment, else their defaults', () => {
    expect(resolveTemplate(JDBC, { DB_HOST: 'postgres' })).toBe(
      'jdbc:postgresql://postgres:5432/test?currentSchema=public',
    );
  });

  it('finds the variables that make a template read a target value', () => {
    expect(matchTemplate(JDBC, 'jdbc:postgresql://127.0.0.1:6543/orders?currentSchema=run_1')).toEqual({
      DB_HOST: '127.0.0.1',
      DB_PORT: '6543',
      DB_NAME: 'orders',
      DB_SCHEMA: 'run_1',
    });
  });

  it('does not match when the literal text differs', () => {
    expect(matchTemplate(JDBC, 'jdbc:mysql://127.0.0.1:3306/orders')).toBeUndefined();
  });

  it('sets a property without placeholders whole, through relaxed binding', () => {
    expect(
      assignProperty(
        { key: 'spring.datasource.url', value: 'jdbc:postgresql://db/x', line: 1, file: 'a' },
        'y',
      ),
    ).toEqual({ key: 'spring.datasource.url', env: { SPRING_DATASOURCE_URL: 'y' }, via: 'relaxed-binding' });
    expect(toRelaxedEnvName('spring.data.redis-host')).toBe('SPRING_DATA_REDIS_HOST');
  });

  it('sets a templated property through its placeholders', () => {
    expect(
      assignProperty(
        { key: 'inventory.url', value: '${INVENTORY_URL:http://localhost:18082}', line: 1, file: 'a' },
        'http://127.0.0.1:27000',
      ),
    ).toEqual({
      key: 'inventory.url',
      env: { INVENTORY_URL: 'http://127.0.0.1:27000' },
      via: 'placeholders',
    });
  });

  it('reads the property a `${key}` reference names, and nothing from a literal', () => {
    expect(getReferencedKey('${nats.subject}')).toBe('nats.subject');
    expect(getReferencedKey('orders.placed')).toBeUndefined();
  });
});
