// Prints the plain closing line `tests: N passed, N failed` as the very last line of the run,
// after jest's own summary (which jest writes after the reporters' onRunComplete).
import { writeSync } from 'node:fs';

export default class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed\n`;
    process.once('exit', () => writeSync(2, line));
  }
}
