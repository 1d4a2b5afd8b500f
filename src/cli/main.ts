import 'reflect-metadata';
import { ConfigurationError, loadConfiguration } from '../config/configuration.js';
import { migrate } from '../database/migrate.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { openInfrastructure } from '../infrastructure.js';
import { verifyIntegrity } from '../integrity/verify-integrity.js';
import { SEALING_PROJECTION } from '../integrity/sealing.projection.js';
import { DigestSigningKeyMissingError } from '../integrity/digest.js';
import { runDigestCommand, runDigestKeyCommand, runVerifyDigestCommand, type CommandOutput } from './digest-command.js';
import { runTokenCommand } from './token-command.js';

const USAGE = `usage:
  npm run migrate                 apply the SQL migrations in migrations/
  npm run rebuild -- <name|all>   empty a projection's tables and replay the log into them
  npm run verify                  check every event's hash chain and the seal
  npm run verify -- --digest FILE check a signed digest and that the log is unchanged up to it
  npm run digest [-- --out FILE --seal-position N]
                                  sign a digest of the log (DIGEST_SIGNING_KEY) and print it as JSON
  npm run -s digest-key           print a new Ed25519 key pair in PEM for DIGEST_SIGNING_KEY
  npm run -s token -- --sub ID --roles ROLE[,ROLE] --org ORG [--days N]
                                  print a development token (only without AUTH_JWKS_URL / AUTH_PUBLIC_KEY)

The database is DATABASE_URL, or the embedded server under DATA_DIR (default ./data).`;

const log = (message: string) => console.error(message);

const output: CommandOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => console.error(text),
};

function progress(label: string): (count: number) => void {
  return (count) => process.stderr.write(`\r${label}: ${count} events`);
}

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'digest-key') return runDigestKeyCommand(output);
  const configuration = loadConfiguration(process.env, process.cwd());
  if (command === 'token') return runTokenCommand(rest, configuration.authentication, output);

  if (command === 'migrate') {
    const embedded = configuration.databaseUrl
      ? undefined
      : await startEmbeddedPostgres({ dataDirectory: configuration.dataDirectory, port: configuration.embeddedPostgresPort, log });
    try {
      const applied = await migrate(configuration.databaseUrl ?? embedded!.databaseUrl, log);
      console.log(applied.length ? `applied ${applied.length} migration(s)` : 'the database is up to date');
      return 0;
    } finally {
      await embedded?.stop();
    }
  }

  if (command === 'digest' && !configuration.digestKeys?.signing) {
    console.error(new DigestSigningKeyMissingError().message);
    return 1;
  }
  const digestFile = command === 'verify' && rest[0] === '--digest' && rest.length === 2 ? rest[1] : undefined;
  if (command === 'verify' && rest.length > 0 && !digestFile) {
    console.error(USAGE);
    return 1;
  }

  if (command === 'rebuild' || command === 'verify' || command === 'digest') {
    const infrastructure = await openInfrastructure(configuration, { log });
    try {
      if (command === 'digest') return await runDigestCommand(rest, { infrastructure, io: output });
      if (digestFile) {
        const code = await runVerifyDigestCommand(digestFile, { infrastructure, io: output, onProgress: progress('verified') });
        process.stderr.write('\n');
        return code;
      }
      if (command === 'verify') {
        await infrastructure.projections.catchUp(SEALING_PROJECTION);
        const report = await verifyIntegrity(infrastructure.store, infrastructure.pool, { onProgress: progress('verified') });
        process.stderr.write('\n');
        console.log(JSON.stringify({ ...report, firstBadPosition: report.firstBadPosition?.toString() ?? null }, null, 2));
        return report.ok ? 0 : 2;
      }
      const target = rest[0];
      const rebuildable = infrastructure.projections.rebuildableNames;
      if (!target || (target !== 'all' && !rebuildable.includes(target))) {
        console.error(`rebuild needs a projection name or "all"; projections: ${rebuildable.join(', ')}`);
        return 1;
      }
      const names = target === 'all' ? rebuildable : [target];
      const started = Date.now();
      const report = progress(`rebuilding ${names.join(', ')}`);
      const count = await infrastructure.projections.rebuildAll(names, { onProgress: ({ applied }) => report(applied) });
      process.stderr.write('\n');
      console.log(`rebuilt ${names.join(', ')}: ${count} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    } finally {
      await infrastructure.close();
    }
  }

  console.error(USAGE);
  return 1;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigurationError ? error.message : `failed: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
