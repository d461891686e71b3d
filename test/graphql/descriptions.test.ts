// Descriptions are the API's documentation (GraphiQL, codegen, IDEs): at least 95% of the schema carries one.
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.ts';

interface Coverage {
  described: number;
  missing: string[];
}

function describedElements(): Coverage {
  const coverage: Coverage = { described: 0, missing: [] };
  const count = (coordinate: string, description: string | null | undefined) => {
    if (description?.trim()) coverage.described++;
    else coverage.missing.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
    count(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        count(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) count(`${type.name}.${field.name}(${arg.name})`, arg.description);
      }
    }
    if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) count(`${type.name}.${field.name}`, field.description);
    if (isEnumType(type)) for (const value of type.getValues()) count(`${type.name}.${value.name}`, value.description);
  }
  return coverage;
}

describe('schema descriptions', () => {
  it('describe at least 95% of types, fields, arguments, input fields and enum values', () => {
    const { described, missing } = describedElements();
    const ratio = described / (described + missing.length);
    expect(ratio, `undescribed: ${missing.join(', ')}`).toBeGreaterThanOrEqual(0.95);
  });
});
