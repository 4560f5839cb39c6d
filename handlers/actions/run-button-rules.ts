import type { Deps } from '../../src/ports/deps.ts';
import { runButtonIsOn } from '../../src/slack/button-bindings.ts';
import { parseRunId } from './action-values.ts';
import type { ButtonRules } from './bound-button.ts';

/** Review, Approve all within policy and Export carry the run's id and are bound to its summary. */
export function runButtonRules(deps: Pick<Deps, 'db'>): ButtonRules<string> {
  return { parse: parseRunId, isOn: (runId, surface) => runButtonIsOn(deps.db, runId, surface) };
}
