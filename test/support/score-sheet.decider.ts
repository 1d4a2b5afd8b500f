import type { Command, Decider } from '../../src/command/decider.js';
import { ApplicationError } from '../../src/shared/errors.js';

/** A small decider used to exercise the command path: each indicator may be scored once. */
export type RecordScore = Command<'RecordScore', { indicator: string; points: number }>;
export type ScoreRecorded = { type: 'ScoreRecorded'; data: { indicator: string; points: number } };
export interface ScoreSheet {
  scored: Record<string, number>;
}

export const scoreSheetDecider: Decider<RecordScore, ScoreRecorded, ScoreSheet> = {
  initialState: () => ({ scored: {} }),
  evolve: (state, event) => ({ scored: { ...state.scored, [event.data.indicator]: event.data.points } }),
  decide(command, state) {
    if (command.data.indicator in state.scored) {
      throw new ApplicationError('SCORE.ALREADY_RECORDED', `indicator ${command.data.indicator} is already scored`);
    }
    return [{ type: 'ScoreRecorded', data: command.data }];
  },
};
