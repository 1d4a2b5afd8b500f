// A child Node process runs the TypeScript sources as they are, without a build: start it with
//   node --import ./test/faults/support/register-typescript.mjs some-file.ts
// The hooks compile each .ts module with @swc/core (the compiler jest uses, same options) as it is
// loaded, and resolve the sources' `./x.js` imports to `./x.ts`. Node 20.6+ (module.register).
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);
