/**
 * Decimal: an exact decimal number, written as a string in responses ("96171.6") so that no client parses it into
 * a binary float by accident. Input accepts a string or a JSON number; its shape and scale are checked by the
 * format's validation (AMOUNT_FORMAT, AMOUNT_PRECISION), which names the cell.
 */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "96171.6". Amounts of section 二 are in 万元, to at most 4 decimal places.',
  serialize: (value) => String(value),
  parseValue(value) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    throw new GraphQLError(`Decimal cannot represent ${JSON.stringify(value)}: give a number or a numeric string`);
  },
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return ast.value;
    throw new GraphQLError('Decimal must be a number or a numeric string', { nodes: ast });
  },
});
