// REST speaks Dify's strings (`completed`, `un_archive`, `full-doc`); GraphQL enums carry those strings as their
// internal values under GraphQL-style names (COMPLETED, UN_ARCHIVE, FULL_DOC). These two walks translate at the
// boundary, so routes pass and read Dify's values whatever the schema makes an enum.
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLEnumType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  typeFromAST,
} from 'graphql';

type Json = unknown;

/** What REST does with a Dify string that names no value of an enum, by enum type. */
export interface EnumRule {
  /** Dify's other spellings of a value. */
  aliases?: Record<string, string>;
  /** `drop`: as if not given (Dify ignores it); a function: Dify's own error. Otherwise coercion refuses it. */
  unknown?: 'drop' | ((value: string) => Error);
}

const DROP = Symbol('drop');

/** An enum value given as Dify's string becomes its GraphQL name; names pass unchanged. */
function enumName(type: GraphQLEnumType, value: Json, rule: EnumRule | undefined): Json {
  if (typeof value !== 'string' || type.getValue(value)) return value;
  const dify = rule?.aliases?.[value] ?? value;
  const name = type.getValues().find((v) => v.value === dify)?.name;
  if (name) return name;
  if (rule?.unknown === 'drop') return DROP;
  if (rule?.unknown) throw rule.unknown(value);
  return value;
}

function inputValue(type: GraphQLInputType, value: Json, rules: Record<string, EnumRule>): Json {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return inputValue(type.ofType, value, rules);
  if (isListType(type)) {
    if (!Array.isArray(value)) return inputValue(type.ofType, value, rules);
    return value.map((v) => inputValue(type.ofType, v, rules)).filter((v) => v !== DROP);
  }
  if (isEnumType(type)) return enumName(type, value, rules[type.name]);
  if (isInputObjectType(type) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = type.getFields();
    return Object.fromEntries(
      Object.entries(value as Record<string, Json>)
        .map(([k, v]) => [k, fields[k] ? inputValue(fields[k].type, v, rules) : v])
        .filter(([, v]) => v !== DROP),
    );
  }
  return value;
}

const operationOf = (document: DocumentNode) =>
  document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);

/** Variables with Dify's enum strings replaced by the enum names their declared types expect. */
export function toGraphQLVariables(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, Json>,
  rules: Record<string, EnumRule>,
) {
  const out = { ...variables };
  for (const definition of operationOf(document)?.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    if (!type || !(name in out)) continue;
    const value = inputValue(type, out[name], rules);
    out[name] = value === DROP ? null : value;
  }
  return out;
}

/** The result with every enum value (serialized as its GraphQL name) back to Dify's string. */
export function toRestValues<T>(schema: GraphQLSchema, document: DocumentNode, data: T): T {
  const operation = operationOf(document);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root || !data) return data;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );

  const walk = (value: Json, parent: GraphQLCompositeType, selections: SelectionSetNode): Json => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => walk(v, parent, selections));
    const record = value as Record<string, Json>;
    const typename = record.__typename;
    const concrete = isAbstractType(parent) && typeof typename === 'string' ? schema.getType(typename) : parent;
    if (!concrete || !(isObjectType(concrete) || isInterfaceType(concrete))) return value;
    const fields = concrete.getFields();
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const field = fields[selection.name.value];
        if (!field || !(key in record)) continue;
        const named = getNamedType(field.type);
        if (isEnumType(named)) record[key] = restEnum(named, record[key]);
        else if (selection.selectionSet) record[key] = walk(record[key], named as GraphQLCompositeType, selection.selectionSet);
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        const condition: GraphQLNamedType | null | undefined = fragment?.typeCondition ? schema.getType(fragment.typeCondition.name.value) : concrete;
        const applies =
          condition === concrete ||
          (condition && isAbstractType(condition) && isObjectType(concrete) && schema.isSubType(condition, concrete)) ||
          (condition && isAbstractType(concrete));
        if (fragment && applies) walk(record, (condition ?? concrete) as GraphQLCompositeType, fragment.selectionSet);
      }
    }
    return record;
  };
  return walk(data, root, operation.selectionSet) as T;
}

function restEnum(type: GraphQLEnumType, value: Json): Json {
  if (Array.isArray(value)) return value.map((v) => restEnum(type, v));
  return typeof value === 'string' ? (type.getValue(value)?.value ?? value) : value;
}
