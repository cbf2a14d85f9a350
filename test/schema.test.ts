import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { printHubSchema } from '../src/graphql/print-schema.js';

const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');

describe('schema.graphql', () => {
  it('is exactly what the code builds (run `npm run schema:emit` after changing the API)', async () => {
    expect(await printHubSchema()).toBe(committed);
  });

  it('keeps the public contract’s names (api-contract.md)', () => {
    const schema = buildSchema(committed);
    const fields = (type: string) => Object.keys((schema.getType(type) as GraphQLObjectType).getFields());
    expect(fields('ApplicantCounts')).toEqual(['naturalPerson', 'commercialEnterprise', 'researchInstitution', 'publicInterestOrg', 'legalServiceOrg', 'otherOrg', 'total']);
    expect(fields('CaseOutcomes')).toEqual(['upheld', 'corrected', 'otherOutcome', 'pending', 'total']);
    expect(fields('DocumentCounts')).toEqual(['issued', 'repealed', 'inForce']);
    expect(fields('Figures')).toEqual(['proactive', 'applications', 'reviewLitigation']);
    expect(fields('ProactiveFigures')).toEqual(['rules', 'normativeDocuments', 'administrativeLicensing', 'administrativePenalty', 'administrativeCoercion', 'administrativeFees']);
    expect(fields('ReviewLitigationFigures')).toEqual(['adminReview', 'litigationDirect', 'litigationAfterReview']);
    expect(fields('ApplicationFigures')).toEqual(expect.arrayContaining([
      'newReceived', 'carriedOver', 'granted', 'partiallyGranted', 'deniedStateSecret', 'deniedProhibitedByLaw',
      'deniedThreeSecurityOneStability', 'deniedThirdPartyRights', 'deniedInternalAffairs', 'deniedProcessInformation',
      'deniedEnforcementCaseFile', 'deniedAdministrativeQuery', 'unableNotHeld', 'unableNeedsCreation',
      'unableUnclearAfterCorrection', 'notProcessedPetitionComplaint', 'notProcessedDuplicate', 'notProcessedPublication',
      'notProcessedExcessive', 'notProcessedConfirmOrReissue', 'otherOverdueCorrection', 'otherOverdueFee', 'otherOther',
      'resultsTotal', 'carriedForward', 'denied', 'unable', 'notProcessed', 'otherHandling',
    ]));
    expect(fields('ApplicationFigures')).toHaveLength(29);
    expect(fields('Query')).toEqual(expect.arrayContaining(['unit', 'report']));
    expect(fields('Mutation')).toEqual(expect.arrayContaining(['createUnit', 'submitReport']));
    expect(fields('Unit')).toEqual(expect.arrayContaining(['id', 'code', 'name', 'kind', 'parent', 'children', 'ancestors', 'descendants']));
    const kinds = schema.getType('UnitKind')!.toConfig() as { values: Record<string, unknown> };
    expect(Object.keys(kinds.values)).toEqual(['PROVINCE', 'PREFECTURE', 'DISTRICT', 'COUNTY', 'COUNTY_CITY', 'SUBDISTRICT', 'TOWN', 'TOWNSHIP', 'DEPARTMENT', 'DEVELOPMENT_ZONE', 'OTHER']);
  });
});
