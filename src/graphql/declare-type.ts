/**
 * Declares a type-graphql class from a list of fields, exactly as decorators on a hand-written class would. Used for
 * types generated from the catalogue of the national format (figures, rates, metrics).
 */
import { Field, InputType, ObjectType, type Int } from 'type-graphql';

export interface FieldSpec {
  name: string;
  type: () => unknown;
  description: string;
  nullable?: boolean;
  defaultValue?: unknown;
}
export type ClassType = new () => object;

/** The object types declared here: plain data, whose fields need no resolvers (graphql/schema.ts). */
export const declaredObjectTypes = new Set<string>();

export function declareType(kind: 'object' | 'input', name: string, description: string, fields: FieldSpec[]): ClassType {
  if (kind === 'object') declaredObjectTypes.add(name);
  const cls = { [name]: class {} }[name] as ClassType;
  for (const f of fields) {
    Field(f.type as () => typeof Int, { description: f.description, nullable: f.nullable, defaultValue: f.defaultValue })(cls.prototype, f.name);
  }
  (kind === 'object' ? ObjectType(name, { description }) : InputType(name, { description }))(cls);
  return cls;
}
