/**
 * Limits on what one operation may ask, checked during validation, before anything executes: depth, aliases and
 * cost (GraphQL Armor's rules), and the number of tokens (Apollo's own parser limit, which answers 400 where
 * Armor's token plugin answers 500). Field suggestions ("did you mean …") are cut from errors in production, so
 * that a schema without introspection is not spelled out by error messages.
 */
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { GraphqlLimits } from '../config.js';

/**
 * Armor's rules throw by default, which Apollo turns into a 500; reported through the validation context instead,
 * a rejection is an ordinary GRAPHQL_VALIDATION_FAILED (400) and nothing executes.
 */
const reported = {
  propagateOnRejection: false,
  onReject: [(ctx: ValidationContext | null, error: GraphQLError) => ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')))],
  exposeLimits: true,
};

export function validationRules(limits: GraphqlLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...reported }),
    // Armor lets aliases of __typename through by default: they cost no resolver but still flood the response.
    maxAliasesRule({ n: limits.maxAliases, allowList: [], ...reported }),
    costLimitRule({ maxCost: limits.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1.5, ignoreIntrospection: true, ...reported }),
  ] as ValidationRule[];
}

/** "Cannot query field "x". Did you mean "y"?" spells out a schema that introspection may be hiding. */
export function withoutSuggestions(message: string): string {
  return message.replace(/ ?Did you mean .*\?$/, '');
}
