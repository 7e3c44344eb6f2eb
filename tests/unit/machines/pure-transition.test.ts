import { initialTransition, transition } from 'xstate';
import { pureInitialTransition, pureTransition } from '../../../machines/shared/pure-transition';
import { caseInput, caseMachine, driveTo, PATHS } from './helpers';

/** The cached-scope transition must give exactly what XState's pure `transition` gives. */
const comparable = (actions: { type: string; params?: unknown }[]) => actions.map((a) => ({ type: a.type, params: a.params }));

describe('pureTransition', () => {
  it.each(Object.keys(PATHS))('when the path to %s is replayed, then every step equals xstate transition()', (state) => {
    const { events, input } = driveTo(state);
    let [ours, ourActions] = pureInitialTransition(caseMachine, input);
    let [theirs, theirActions] = initialTransition(caseMachine, input);
    expect(ours.value).toEqual(theirs.value);
    expect(comparable(ourActions)).toEqual(comparable(theirActions));
    for (const event of events) {
      [ours, ourActions] = pureTransition(caseMachine, ours, event);
      [theirs, theirActions] = transition(caseMachine, theirs, event);
      expect(ours.value).toEqual(theirs.value);
      expect(ours.context).toEqual(theirs.context);
      expect(comparable(ourActions)).toEqual(comparable(theirActions));
    }
  });

  it('when a guard throws, then the collector is restored for the next call', () => {
    const [initial] = pureInitialTransition(caseMachine, caseInput());
    expect(() => pureTransition(caseMachine, initial, { type: 'recuse', actor: null } as never)).toThrow();
    const [, actions] = pureTransition(caseMachine, initial, { type: 'proposeDisposition', actor: { id: 'i', roles: ['inspector'], orgId: 'o' }, method: 'close', reason: 'r' });
    expect(actions.map((a) => a.type)).toContain('notify');
  });
});
