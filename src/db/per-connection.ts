/**
 * Process-wide state that belongs to one database: one value per ORM connection (every entity manager forked from
 * one ORM shares it), made on first use. Tests that start two ORMs on one database get two values, as two hub
 * processes would.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

export function perConnection<T>(make: (em: EntityManager) => T): (em: EntityManager) => T {
  const made = new WeakMap<object, T>();
  return (em) => {
    const connection = em.getConnection();
    let value = made.get(connection);
    if (value === undefined) made.set(connection, (value = make(em)));
    return value;
  };
}
