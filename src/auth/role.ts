import { registerEnumType } from 'type-graphql';

/**
 * What a bearer token allows, always relative to the unit it names:
 * SUBMITTER writes and reads its own unit's reports; REVIEWER approves or returns the reports of the units directly
 * under its unit; OVERSIGHT reads everything in its subtree; ADMIN manages the units of its subtree, reads them and
 * may enter reports on a unit's behalf (代填报, e.g. from a paper report) — never approve them.
 */
export enum Role {
  SUBMITTER = 'SUBMITTER',
  REVIEWER = 'REVIEWER',
  OVERSIGHT = 'OVERSIGHT',
  ADMIN = 'ADMIN',
}

registerEnumType(Role, {
  name: 'Role',
  valuesConfig: {
    SUBMITTER: { description: '填报: writes and reads its own unit’s reports' },
    REVIEWER: { description: '审核: approves or returns the reports of the units directly under its unit' },
    OVERSIGHT: { description: '监督: reads everything in its subtree (rollups, rankings, dashboards)' },
    ADMIN: { description: '管理: manages the units of its subtree, reads them, enters reports on their behalf' },
  },
});

/** A token for the whole hierarchy (the national office, or tooling) names this instead of a unit code. */
export const ALL_UNITS = '*';
