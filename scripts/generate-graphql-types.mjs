// Generates src/graphql/schema.types.ts from the SDL in schema/. Never edit the output by hand.
// Usage: node scripts/generate-graphql-types.mjs [output-path]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GraphQLDefinitionsFactory } from '@nestjs/graphql';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const output = path.resolve(process.argv[2] ?? path.join(root, 'src/graphql/schema.types.ts'));

await new GraphQLDefinitionsFactory().generate({
  typePaths: [path.join(root, 'schema/**/*.graphql')],
  path: output,
  outputAs: 'interface',
  emitTypenameField: false,
  skipResolverArgs: false,
  // String unions, so that generated types and the domain's own unions are interchangeable.
  enumsAsTypes: true,
  customScalarTypeMapping: { JSON: 'unknown' },
  defaultTypeMapping: { ID: 'string' },
  additionalHeader: '// Generated from schema/*.graphql by scripts/generate-graphql-types.mjs. Do not edit.',
});
