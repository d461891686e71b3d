// GraphQL variable coercion errors in REST terms. REST bodies are mapped field by field onto an operation's
// variables, so a wrong type surfaces as a coercion failure; the client must read it in Dify's field names and
// pydantic's wording ("text: Input should be a valid string"), never as GraphQL's `Variable "$input" got …`.
import {
  coerceInputValue,
  type DocumentNode,
  type GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  isNonNullType,
  Kind,
  typeFromAST,
} from 'graphql';

/** Variables whose REST name is not their snake_case name ('' = the body itself). */
const VARIABLE_PATHS: Record<string, string> = {
  input: '',
  operations: 'operation_data',
  metadataFilter: 'retrieval_model.metadata_filtering_conditions',
};

export const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Domain validation messages name fields by their GraphQL path (`retrievalModel.topK: …`, one line per issue);
 * REST clients read Dify's names (`retrieval_model.top_k: …`).
 */
export const withDifyFieldNames = (message: string) =>
  message
    .split('\n')
    .map((line) => line.replace(/^([A-Za-z]\w*(?:\.\w+)*): /, (_m, path: string) => `${snakeCase(path)}: `))
    .join('\n');

const REASONS: Array<[RegExp, string]> = [
  [/^(String|ID) cannot represent/, 'Input should be a valid string'],
  [/^Int cannot represent non 32-bit/, 'Input should be a valid integer between -2147483648 and 2147483647'],
  [/^Int cannot represent/, 'Input should be a valid integer'],
  [/^Float cannot represent/, 'Input should be a valid number'],
  [/^Boolean cannot represent/, 'Input should be a valid boolean'],
  [/^Expected type "[^"]+" to be an object\./, 'Input should be a valid dictionary'],
];

const restPath = (parts: string[]) => parts.filter(Boolean).join('.');
const withPath = (parts: string[], text: string) => (restPath(parts) ? `${restPath(parts)}: ${text}` : text);

/** One coercion failure as `path: reason`, in REST names. */
function restMessage(variable: string, path: ReadonlyArray<string | number>, reason: string): string {
  const parts = [VARIABLE_PATHS[variable] ?? snakeCase(variable), ...path.map((p) => (typeof p === 'number' ? String(p) : snakeCase(p)))];
  let text = 'Input is invalid';
  const missing = /^Field "(\w+)" of required type "[^"]+" was not provided\./.exec(reason);
  const unknown = /^Field "(\w+)" is not defined by type/.exec(reason);
  const badEnum = /^Value "(\w+)" does not exist in "\w+" enum\./.exec(reason);
  if (missing?.[1]) {
    parts.push(snakeCase(missing[1]));
    text = 'Field required';
  } else if (unknown?.[1]) {
    parts.push(snakeCase(unknown[1]));
    text = 'Extra inputs are not permitted';
  } else if (badEnum?.[1]) {
    text = `Input "${badEnum[1].toLowerCase()}" is not one of the allowed values`;
  } else if (/^Enum "\w+" cannot represent/.test(reason)) {
    text = 'Input should be one of the allowed values';
  } else {
    text = REASONS.find(([pattern]) => pattern.test(reason))?.[1] ?? text;
  }
  return withPath(parts, text);
}

/**
 * Coerces `variables` against the operation's variable definitions; answers the first failure in REST terms, or
 * null when all coerce (execution then coerces them again, identically).
 */
export function firstCoercionError(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): string | null {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const name = variable.variable.name.value;
      const type = typeFromAST(schema, variable.type) as GraphQLInputType | undefined;
      if (!type) continue;
      const value = variables[name];
      if (value === undefined || value === null) {
        if (isNonNullType(type) && !variable.defaultValue) return withPath([VARIABLE_PATHS[name] ?? snakeCase(name)], 'Field required');
        continue;
      }
      let message: string | null = null;
      coerceInputValue(value, type, (path, _invalid, error: GraphQLError) => {
        message ??= restMessage(name, path, error.message);
      });
      if (message) return message;
    }
  }
  return null;
}
