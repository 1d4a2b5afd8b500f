import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphQLTypesLoader } from '@nestjs/graphql';
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType, isSpecifiedScalarType, type GraphQLNamedType } from 'graphql';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Every element of the type that a client sees, with its description. */
function describedElements(type: GraphQLNamedType): { element: string; description: string | null | undefined }[] {
  const own = [{ element: type.name, description: type.description }];
  if (isEnumType(type)) return [...own, ...type.getValues().map((value) => ({ element: `${type.name}.${value.name}`, description: value.description }))];
  if (isInputObjectType(type)) return [...own, ...Object.values(type.getFields()).map((field) => ({ element: `${type.name}.${field.name}`, description: field.description }))];
  if (!isObjectType(type) && !isInterfaceType(type)) return own;
  return [
    ...own,
    ...Object.values(type.getFields()).flatMap((field) => [
      { element: `${type.name}.${field.name}`, description: field.description },
      ...field.args.map((arg) => ({ element: `${type.name}.${field.name}(${arg.name})`, description: arg.description })),
    ]),
  ];
}

describe('the SDL in schema/', () => {
  it('describes every type, field, argument, enum value and input field', async () => {
    const typeDefs = await new GraphQLTypesLoader().mergeTypesByPaths(path.join(projectRoot, 'schema/**/*.graphql'));
    const schema = buildSchema(typeDefs);
    const types = Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__') && !isSpecifiedScalarType(type));
    const undescribed = types.flatMap(describedElements).filter(({ description }) => !description?.trim()).map(({ element }) => element);
    expect(undescribed).toEqual([]);
  });
});
