import type { AuthConfiguration } from '../auth/auth-configuration.js';
import { issueDevelopmentToken } from '../auth/authentication.js';
import { TokenRequestError, type TokenRequest } from '../auth/token-issuer.js';

export const TOKEN_USAGE = `usage: npm run -s token -- --sub <actor id> --roles <ROLE[,ROLE…]> --org <organization id | *> [--days <n>]
  prints a development token signed with the key under DATA_DIR (made on first use), e.g.
  npm run -s token -- --sub hr-1 --roles HR --org bureau
  npm run -s token -- --sub p1 --roles APPRAISED --org office --days 7`;

/** The token request the arguments name; TokenRequestError naming what is wrong. */
export function parseTokenArguments(args: string[]): TokenRequest {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (let index = 0; index < args.length; index += 2) {
    const [flag, value] = [args[index], args[index + 1]];
    if (!['--sub', '--roles', '--org', '--days'].includes(flag)) problems.push(`unknown argument ${flag}`);
    else if (value === undefined || value.startsWith('--')) problems.push(`${flag} needs a value`);
    else values[flag.slice(2)] = value;
  }
  for (const flag of ['sub', 'roles', 'org']) if (values[flag] === undefined && !problems.some((problem) => problem.startsWith(`--${flag}`))) problems.push(`--${flag} is required`);
  if (problems.length > 0) throw new TokenRequestError(problems.join('\n'));
  return {
    sub: values.sub,
    roles: values.roles.split(',').map((role) => role.trim()).filter(Boolean),
    org: values.org,
    days: values.days === undefined ? undefined : Number(values.days),
  };
}

/** `token`: prints one development token on stdout; exit code 1 with the problems otherwise. */
export async function runTokenCommand(args: string[], authentication: AuthConfiguration, io: { out(text: string): void; err(text: string): void }, now?: Date): Promise<number> {
  try {
    io.out(`${await issueDevelopmentToken(authentication, parseTokenArguments(args), now)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof TokenRequestError)) throw error;
    io.err(`${error.message}\n${TOKEN_USAGE}`);
    return 1;
  }
}
