import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt, Ref } from '@mikro-orm/core';
import { Unit } from '../units/unit.entity.js';
import { ReportScope } from './report-scope.js';

/**
 * One unit's report for one period and scope. Its figures live in immutable `report_revision` rows; the report
 * only points at the current one, so a re-submission never overwrites what was accepted before.
 */
@Entity({ tableName: 'report' })
@Unique({ name: 'report_period_unique', properties: ['unit', 'year', 'month', 'scope'] })
export class Report {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Unit, { ref: true, deleteRule: 'restrict' })
  unit!: Ref<Unit>;

  @Property({ type: 'smallint' })
  year!: number;

  /** 1-12 for a monthly report; null for an annual report. */
  @Property({ type: 'smallint', nullable: true })
  month!: number | null;

  @Enum({ items: () => ReportScope, nativeEnumName: 'report_scope' })
  scope!: ReportScope;

  /** Number of the revision now in force (1 for the first submission). */
  @Property({ type: 'integer' })
  currentRevision!: number;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date & Opt = new Date();
}
