import { ConfigurationError, loadConfiguration } from '../../src/config/configuration.js';

describe('start-up configuration', () => {
  it('defaults to the embedded server under ./data on port 3000', () => {
    expect(loadConfiguration({}, '/srv/appraisal')).toEqual({
      databaseUrl: undefined,
      dataDirectory: '/srv/appraisal/data',
      embeddedPostgresPort: undefined,
      eventStoreUrl: undefined,
      port: 3000,
      host: '0.0.0.0',
    });
  });

  it('takes DATABASE_URL, PORT and DATA_DIR', () => {
    const configuration = loadConfiguration(
      { DATABASE_URL: 'postgresql://app@127.0.0.1:5432/appraisal', PORT: '8080', DATA_DIR: '/var/lib/appraisal' },
      '/srv',
    );
    expect(configuration).toMatchObject({ databaseUrl: 'postgresql://app@127.0.0.1:5432/appraisal', port: 8080, dataDirectory: '/var/lib/appraisal' });
  });

  it('lists every problem at once, each naming the variable and what it accepts', () => {
    let caught: unknown;
    try {
      loadConfiguration({ DATABASE_URL: 'mysql://localhost/x', PORT: '70000', EMBEDDED_POSTGRES_PORT: 'abc' }, '/srv');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as ConfigurationError).problems).toEqual([
      'DATABASE_URL must start with postgresql:// or postgres://, got "mysql://"',
      'PORT must be a whole number from 1 to 65535, got "70000"',
      'EMBEDDED_POSTGRES_PORT must be a whole number from 1 to 65535, got "abc"',
    ]);
  });

  it('takes EVENTSTORE_URL as a KurrentDB connection string, and names the forms it accepts when it is not one', () => {
    expect(loadConfiguration({ EVENTSTORE_URL: 'kurrentdb://127.0.0.1:2113?tls=false' }, '/srv').eventStoreUrl).toBe('kurrentdb://127.0.0.1:2113?tls=false');
    expect(loadConfiguration({ EVENTSTORE_URL: 'esdb+discover://a:2113,b:2113' }, '/srv').eventStoreUrl).toBe('esdb+discover://a:2113,b:2113');
    let caught: unknown;
    try {
      loadConfiguration({ EVENTSTORE_URL: 'http://admin:changeit@es:2113' }, '/srv');
    } catch (error) {
      caught = error;
    }
    expect((caught as ConfigurationError).problems).toEqual([
      'EVENTSTORE_URL must be a KurrentDB connection string such as kurrentdb://127.0.0.1:2113?tls=false or kurrentdb+discover://node1:2113,node2:2113,node3:2113 (esdb:// also accepted), got "http://admin:***@es:2113"',
    ]);
  });

  it('rejects a DATABASE_URL that is not a URL', () => {
    expect(() => loadConfiguration({ DATABASE_URL: 'localhost:5432' }, '/srv')).toThrow(/DATABASE_URL/);
  });
});
