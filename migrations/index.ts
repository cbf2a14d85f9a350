/** Every migration, in order. A landed migration is never edited: add a new one. */
import { Migration20261123000001Foundation } from './Migration20261123000001Foundation.js';
import { Migration20261123000002Deadlines } from './Migration20261123000002Deadlines.js';
import { Migration20261123000003Workflow } from './Migration20261123000003Workflow.js';
import { Migration20261123000004Rollups } from './Migration20261123000004Rollups.js';
import { Migration20261123000006ReadIndexes } from './Migration20261123000006ReadIndexes.js';
import { Migration20261124000007FigureCountDomain } from './Migration20261124000007FigureCountDomain.js';
import { Migration20261125000008DerivedEventChanges } from './Migration20261125000008DerivedEventChanges.js';
import { Migration20261125000009FigureStatistics } from './Migration20261125000009FigureStatistics.js';
import { Migration20261125000010ReportEventSeq } from './Migration20261125000010ReportEventSeq.js';
import { Migration20261125000011FirstSubmission } from './Migration20261125000011FirstSubmission.js';
import { Migration20261125000012BigintTotal } from './Migration20261125000012BigintTotal.js';

export const migrationsList = [
  { name: 'Migration20261123000001Foundation', class: Migration20261123000001Foundation },
  { name: 'Migration20261123000002Deadlines', class: Migration20261123000002Deadlines },
  { name: 'Migration20261123000003Workflow', class: Migration20261123000003Workflow },
  { name: 'Migration20261123000004Rollups', class: Migration20261123000004Rollups },
  { name: 'Migration20261123000006ReadIndexes', class: Migration20261123000006ReadIndexes },
  { name: 'Migration20261124000007FigureCountDomain', class: Migration20261124000007FigureCountDomain },
  { name: 'Migration20261125000008DerivedEventChanges', class: Migration20261125000008DerivedEventChanges },
  { name: 'Migration20261125000009FigureStatistics', class: Migration20261125000009FigureStatistics },
  { name: 'Migration20261125000010ReportEventSeq', class: Migration20261125000010ReportEventSeq },
  { name: 'Migration20261125000011FirstSubmission', class: Migration20261125000011FirstSubmission },
  { name: 'Migration20261125000012BigintTotal', class: Migration20261125000012BigintTotal },
];
