import { Entity, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Opt, Ref } from '@mikro-orm/core';
import { Report } from './report.entity.js';

/**
 * One accepted set of figures for a report; never updated or deleted. The 166 figure columns (one per leaf cell
 * of the national format, see format/catalogue.ts) are written and read by report.repository.ts in SQL; the ORM
 * maps only the bookkeeping columns.
 */
@Entity({ tableName: 'report_revision' })
@Unique({ name: 'report_revision_unique', properties: ['report', 'revision'] })
export class ReportRevision {
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => Report, { ref: true, deleteRule: 'restrict' })
  report!: Ref<Report>;

  @Property({ type: 'integer' })
  revision!: number;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  submittedAt: Date & Opt = new Date();

  /** Warning-severity checks found at submission (carry-over and in-force continuity). */
  @Property({ type: 'json' })
  warnings: unknown[] & Opt = [];

  /** The figures exactly as submitted, printed totals included, for audit. */
  @Property({ type: 'json' })
  submitted: unknown & Opt = {};
}
