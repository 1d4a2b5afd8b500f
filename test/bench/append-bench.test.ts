import pg from 'pg';
import { benchAppend, CONTENDERS, contenderLabel, formatAppendReport, MODES } from '../../scripts/bench/append.js';

function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error('TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (global setup)');
  return url;
}

describe('append benchmark (tiny sizes: checks the harness, not the speed)', () => {
  it('measures our store, emmett-postgresql and raw COPY in both modes, round after round, and prints them as a table', async () => {
    const progress: string[] = [];
    const result = await benchAppend(adminUrl(), {
      singleEvents: 12,
      batches: 3,
      batchSize: 5,
      concurrency: 2,
      appendsPerStream: 4,
      rounds: 2,
      onProgress: ({ round, contender, mode, events, total }) => {
        if (events === total) progress.push(`${round} ${contender} ${mode}`);
      },
    });

    expect(result.measurements.map(({ round, contender, mode }) => `${contender} ${mode} ${round}`)).toEqual(
      CONTENDERS.flatMap((contender) => MODES.flatMap((mode) => [`${contender} ${mode} 1`, `${contender} ${mode} 2`])),
    );
    expect(new Set(progress)).toEqual(new Set(result.measurements.map(({ round, contender, mode }) => `${round} ${contender} ${mode}`)));
    for (const measurement of result.measurements) {
      expect(measurement.events).toBe(measurement.mode === 'single' ? 12 : 15);
      expect(measurement.streams).toBe(measurement.mode === 'single' ? 4 : 2);
      expect(measurement.seconds).toBeGreaterThan(0);
      expect(measurement.eventsPerSecond).toBeGreaterThan(0);
      expect(Number.isFinite(measurement.eventsPerSecond)).toBe(true);
    }
    const measured = (contender: string, mode: string, round: number) =>
      result.measurements.find((m) => m.contender === contender && m.mode === mode && m.round === round)!.eventsPerSecond;
    // Two rounds: the median is the mean of the two.
    for (const { contender, mode, eventsPerSecond } of result.rates) {
      expect(eventsPerSecond).toBeCloseTo((measured(contender, mode, 1) + measured(contender, mode, 2)) / 2, 6);
    }
    expect(result.rates).toHaveLength(CONTENDERS.length * MODES.length);
    expect(result.ratios.map((ratio) => ratio.mode)).toEqual([...MODES]);
    for (const ratio of result.ratios) {
      expect(ratio.byRound).toEqual(
        [1, 2].map((round) => ({
          oursToPeer: measured('ours', ratio.mode, round) / measured('emmett', ratio.mode, round),
          oursToCopy: measured('ours', ratio.mode, round) / measured('copy', ratio.mode, round),
        })),
      );
      expect(ratio.oursToPeer).toBeCloseTo((ratio.byRound[0].oursToPeer + ratio.byRound[1].oursToPeer) / 2, 9);
      expect(ratio.oursToCopy).toBeCloseTo((ratio.byRound[0].oursToCopy + ratio.byRound[1].oursToCopy) / 2, 9);
      expect(Number.isFinite(ratio.oursToPeer) && Number.isFinite(ratio.oursToCopy)).toBe(true);
    }
    expect(result.packages.emmettPostgresql).toMatch(/^0\.42\./);
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.postgres).toMatch(/^\d+/);

    const table = formatAppendReport(result);
    expect(table).toContain(`Node ${process.version}, PostgreSQL ${result.postgres}`);
    expect(table).toMatch(/^Machine: .+, \d+ cores, [\d.]+ GiB RAM$/m);
    for (const contender of CONTENDERS) {
      const row = table.split('\n').find((line) => line.startsWith(`| ${contenderLabel(contender, result)} |`));
      expect(row).toBeDefined();
      const rates = row!.split('|').slice(2, 4).map((cell) => Number(cell.trim().replaceAll(',', '')));
      expect(rates.every((rate) => rate > 0)).toBe(true);
    }
    expect(table).toMatch(/^\| ours ÷ peer \| [\d.]+× \| [\d.]+× \|$/m);
    expect(table).toMatch(/^\| ours ÷ COPY \| [\d.]+× \| [\d.]+× \|$/m);
    expect(table).toMatch(/^Ours ÷ peer by round, single-event appends: [\d.]+×, [\d.]+×\.$/m);
    expect(table.split('\n').filter((line) => /^\| [12] \| /.test(line))).toHaveLength(CONTENDERS.length * MODES.length * 2);

    // Each contender had a database of its own, and none is left behind.
    const client = new pg.Client({ connectionString: adminUrl() });
    await client.connect();
    try {
      const left = await client.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`bench_append_${result.runId}_`]);
      expect(left.rows).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
