import { Migration } from '@mikro-orm/migrations';

/**
 * Each report counts its events (`report.last_event_seq`), and a step numbers its event from the report row it
 * updates anyway (reports/report.repository.ts, `stateUpdate`), instead of `max(seq) + 1` over report_event.
 *
 * Why: the write statements run with generic plans (db/write-transaction.ts). Once report_event had been analysed
 * while (nearly) empty — after a bulk load, which writes no events — the generic plan for that max was a sequential
 * scan of the whole table, kept while the table grew by a thousand events a second: 1.2 ms a write at 20,000 events.
 * Measured with 32 submitters on the benchmark's data, 12 s after `analyze report_event` on the freshly loaded data:
 * 934 submissions/s with that max, p99 73.6 ms; 1,114/s, p99 59.9 ms with the count.
 */
export class Migration20261125000010ReportEventSeq extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table report add column last_event_seq int not null default 0;
update report r set last_event_seq = e.last from (select report_id, max(seq) as last from report_event group by report_id) e where e.report_id = r.id;
comment on column report.last_event_seq is 'The seq of the report''s last event in report_event (0: none yet); the next event takes the next number.';
`);
  }
}
