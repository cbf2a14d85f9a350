import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../src/logger.js';
import { Unit } from '../src/units/unit.entity.js';
import { DemoSeeder } from './DemoSeeder.js';

/** On first start (no units at all) loads the demo city; a database that holds anything is left alone. */
export async function seedDemoIfEmpty(orm: MikroORM, logger: Logger): Promise<boolean> {
  const em = orm.em.fork();
  if ((await em.count(Unit, {})) > 0) return false;
  logger.info('empty database: loading the demo city 清远市 (441800)');
  await new DemoSeeder(logger).run(em);
  return true;
}
