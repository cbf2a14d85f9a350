/**
 * The demo city: 清远市 (441800) under 广东省, its eight county-level units and their township-level units with real
 * codes and names, a few county departments, two years of monthly figures for every unit (2024 and 2025), and the
 * 2017 annual report of 太和镇 (441803102) as its published text gives it.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Seeder } from '@mikro-orm/seeder';
import { checkIdentities } from '../src/format/identities.js';
import type { Logger } from '../src/logger.js';
import { storeRevision } from '../src/reports/report.service.js';
import { ReportScope } from '../src/reports/report-scope.js';
import { Basis } from '../src/reports/report-status.js';
import { Unit } from '../src/units/unit.entity.js';
import { UnitKind } from '../src/units/unit-kind.js';
import { counties, prefectures, provinces, townships, type Division } from './divisions.js';
import { taiheTown2017 } from './taihe-2017.js';
import { FigureSeries, hashSeed, profileFor, random } from './synthetic-figures.js';
import { aggregate } from '../src/rollups/aggregate.sql.js';
import { rebuildRollupStatements } from '../src/rollups/preaggregate.js';
import { listOfValues, type CellValues } from '../src/format/figures.js';
import type { ReportKey } from '../src/reports/report.repository.js';

export const DEMO_CITY = '441800';
export const DEMO_YEARS = [2024, 2025];

/** Made-up county departments: real ones bring a unified social credit code; these use D + county code + serial. */
const DEPARTMENTS: [string, string][] = [
  ['441802', '清远市清城区教育局'],
  ['441802', '清远市清城区住房和城乡建设局'],
  ['441803', '清远市清新区自然资源局'],
  ['441881', '英德市公安局'],
  ['441881', '英德市市场监督管理局'],
  ['441882', '连州市人力资源和社会保障局'],
];

export function demoDivisions(): Division[] {
  const province = provinces().find((p) => p.code === '440000')!;
  const city = prefectures().find((p) => p.code === DEMO_CITY)!;
  const cityCounties = counties().filter((c) => c.parentCode === DEMO_CITY);
  const countyCodes = new Set(cityCounties.map((c) => c.code));
  const cityTownships = townships().filter((t) => countyCodes.has(t.parentCode!));
  const serial = new Map<string, number>();
  const departments = DEPARTMENTS.map(([county, name]) => {
    const n = (serial.get(county) ?? 0) + 1;
    serial.set(county, n);
    return { code: `D${county}${String(n).padStart(3, '0')}`, name, kind: UnitKind.DEPARTMENT, parentCode: county };
  });
  return [province, city, ...cityCounties, ...cityTownships, ...departments];
}

export class DemoSeeder extends Seeder {
  constructor(private readonly logger?: Logger) {
    super();
  }

  async run(em: EntityManager): Promise<void> {
    const log = (msg: string, extra: object = {}) => (this.logger ? this.logger.info(extra, msg) : console.log(msg));
    const divisions = demoDivisions();
    const byCode = new Map<string, Unit>();
    // One flush per level: a parent must be stored before its children, since a unit never changes parent.
    for (let level = divisions.filter((d) => !d.parentCode); level.length; level = divisions.filter((d) => level.some((p) => p.code === d.parentCode))) {
      for (const d of level) {
        byCode.set(d.code, em.create(Unit, { code: d.code, name: d.name, kind: d.kind, parent: d.parentCode ? byCode.get(d.parentCode)! : null }));
      }
      await em.flush();
    }
    log('demo units created', { units: divisions.length });

    const reporting = divisions.filter((d) => d.kind !== UnitKind.PROVINCE);
    // Through the same write path as the API (checks, revisions, events), in one transaction: each report's own
    // transaction becomes a savepoint, which spares a disk flush per report. The pre-aggregated rollups are rebuilt in
    // bulk at the end, in the same transaction, as after any bulk load.
    await em.transactional(async (tx) => {
      let done = 0;
      for (const d of reporting) {
        const unit = byCode.get(d.code)!;
        const series = new FigureSeries(d.code, profileFor(d.kind, d.code));
        for (const year of DEMO_YEARS) {
          for (let month = 1; month <= 12; month++) {
            const figures = series.next();
            const received = receivedAt(d.code, year, month);
            if (received) await store(tx, { unitId: unit.id, year, month, scope: ReportScope.SELF }, figures, { source: 'synthetic demo data' }, received);
          }
        }
        done++;
        // Statistics of what this transaction has written so far (ANALYZE counts its own rows): planned for the empty
        // tables the seed starts from, the write path's lookups scanned every report stored so far, each report
        // slower than the last (the seed took 90-130 s instead of ~25 s).
        if (done === 4 || done % 25 === 0) await tx.execute('analyze report, report_revision (report_id, revision), report_event, idempotency_key');
        if (done % 20 === 0 || done === reporting.length) log(`demo figures: ${done}/${reporting.length} units`, { months: DEMO_YEARS.length * 12 });
      }
      const taihe = byCode.get('441803102')!;
      await store(tx, { unitId: taihe.id, year: 2017, month: null, scope: ReportScope.SELF }, taiheTown2017.values, taiheTown2017.submitted, new Date('2018-03-30T10:00:00+08:00'));
      for (const sql of rebuildRollupStatements()) await tx.execute(sql);
      await publishAreaReport(tx, byCode.get('441803')!); // sums its units' rollups
    });
    log('demo data ready', { units: divisions.length });
  }
}

/** 大麦山镇 and 吉田镇 have not sent November and December of the last demo year. */
const LATE_SENDERS = ['441826101', '441825104'];

/**
 * When a demo unit's monthly report came in: most within a week of the month's end, about one in six after the
 * 10th (late); and two townships have not sent their last two months at all (missing). Deterministic.
 */
export function receivedAt(code: string, year: number, month: number): Date | null {
  const rng = random(hashSeed(`received:${code}:${year}:${month}`));
  if (LATE_SENDERS.includes(code) && year === DEMO_YEARS.at(-1) && month >= 11) return null;
  const day = 1 + Math.floor(rng() * 12); // day of the next month; past the 10th is late
  const next = month === 12 ? { y: year + 1, m: 1 } : { y: year, m: month + 1 };
  return new Date(Date.UTC(next.y, next.m - 1, day, 1 + Math.floor(rng() * 9))); // 09:00-17:00 China time
}

/**
 * 清新区 publishes its 2025 area-wide annual report (AGGREGATE). Like real published reports it differs slightly from
 * the sum of its units: two more applications granted to natural persons than its units reported.
 */
async function publishAreaReport(em: EntityManager, district: Unit): Promise<void> {
  const year = DEMO_YEARS.at(-1)!;
  const groups = { sql: 'select ?::int as group_id', params: [district.id] };
  const summed = (await aggregate(em, { groups, members: 'subtree', year, firstMonth: 1, lastMonth: 12, useAnnual: true, scope: ReportScope.SELF, basis: Basis.SUBMITTED })).get(district.id)!;
  const values = { ...summed.values };
  values['applications.newReceived.naturalPerson'] = Number(values['applications.newReceived.naturalPerson']) + 2;
  values['applications.granted.naturalPerson'] = Number(values['applications.granted.naturalPerson']) + 2;
  await store(em, { unitId: district.id, year, month: null, scope: ReportScope.AGGREGATE }, values, { source: 'synthetic demo data: published area-wide report' }, new Date(`${year + 1}-03-20T10:00:00+08:00`));
}

async function store(em: EntityManager, key: ReportKey, values: CellValues, submitted: unknown, submittedAt: Date) {
  const list = listOfValues(values);
  const violations = checkIdentities({ list, givenTotals: new Map() });
  if (violations.length) throw new Error(`demo figures break the format: ${violations[0].message}`);
  await storeRevision(em, key, list, submitted, { draft: false, actor: { unitCode: 'demo-seed', role: 'ADMIN' }, submittedAt, rollupsRebuiltByCaller: true });
}
