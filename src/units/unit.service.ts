/**
 * Creating units and finding them by code. The closure rows of a new unit are written by a database trigger.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Access } from '../auth/access.js';
import { AppError, ErrorCode, notFound } from '../graphql/errors.js';
import { EVERY_YEAR, rollupsCommitted, UNITS_CHANGED } from '../rollups/rollup-changes.js';
import { assertCodeFitsKind, normaliseUnitCode } from './unit-code.js';
import { Unit } from './unit.entity.js';
import type { CreateUnitInput } from './unit.inputs.js';
import { governmentLevel, UnitKind } from './unit-kind.js';
import type { UnitLoaders } from './unit.loaders.js';

export async function requireUnit(loaders: UnitLoaders, code: string): Promise<Unit> {
  const unit = await loaders.byCode.load(normaliseUnitCode(code));
  if (!unit) throw notFound('unit', { unitCode: code });
  return unit;
}

export async function createUnit(em: EntityManager, loaders: UnitLoaders, access: Access, input: CreateUnitInput): Promise<Unit> {
  const code = normaliseUnitCode(input.code);
  const name = input.name.trim();
  if (!name || name.length > 200) throw new AppError(ErrorCode.INVALID_UNIT, 'a unit needs a name of 1-200 characters', { unitCode: code });
  assertCodeFitsKind(code, input.kind);
  const parent = input.parentCode ? await requireUnit(loaders, input.parentCode) : null;
  await access.requireAdmin(parent);
  if (parent) assertMayHang(code, input.kind, parent);
  if (await loaders.byCode.load(code)) throw new AppError(ErrorCode.ALREADY_EXISTS, `a unit with code ${code} exists already`, { unitCode: code });

  const unit = em.create(Unit, { code, name, kind: input.kind, parent: parent ?? null });
  try {
    await em.flush();
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) throw new AppError(ErrorCode.ALREADY_EXISTS, `a unit with code ${code} exists already`, { unitCode: code });
    throw error;
  }
  loaders.byCode.clear(code).prime(code, unit);
  // Subscribers above it count one unit more (rollup sources, completeness).
  rollupsCommitted(em, [{ basis: UNITS_CHANGED, year: EVERY_YEAR, month: null, unitId: unit.id }]);
  return unit;
}

/**
 * A government sits below a government of a higher level (a township may sit directly under a city without
 * counties, e.g. 东莞), and its division code continues its parent's. Departments, development zones and other
 * organs may hang under any unit; governments never sit under a department.
 */
function assertMayHang(code: string, kind: UnitKind, parent: Unit): void {
  const level = governmentLevel[kind];
  const parentLevel = governmentLevel[parent.kind];
  if (level === null) return;
  const refuse = (why: string) => {
    throw new AppError(ErrorCode.INVALID_UNIT, `a ${kind} cannot sit under ${parent.code} (${parent.kind}): ${why}`, { unitCode: code, parentCode: parent.code });
  };
  if (parent.kind === UnitKind.DEPARTMENT) refuse('governments do not report to departments');
  if (parentLevel === null) return; // development zones and other organs administer townships in places
  if (parentLevel >= level) refuse('the parent must be a government of a higher level');
  const prefix = parent.code.slice(0, parentLevel * 2);
  if (!code.startsWith(prefix)) refuse(`its division code must begin with ${prefix}`);
}
