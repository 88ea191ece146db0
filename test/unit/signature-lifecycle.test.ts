// The signature lifecycle, cell by cell, and the promises it makes over any sequence of events.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  confirmationEvent,
  holdReasonFor,
  isCounted,
  LIFECYCLE_EVENTS,
  type LifecycleEvent,
  MODERATOR_EVENTS,
  mayMailAgain,
  SIGNATURE_STATES,
  type SignatureState,
  TRANSITIONS,
  transition,
} from '../../src/domain/signature-lifecycle.js';

// Each cell: `-` nothing happens; `-/mail` nothing changes but that mail goes out;
// `state:event[/mail]` the signature moves and the event is recorded. The count delta is not
// written here: it is checked against the states (and spelled out for the counted cells below).
const EXPECTED = `
           confirm             confirm_held     confirm_late   withdraw              sign_again             approve              reject               mark_fraudulent
pending    verified:verified   held:held        late:late      withdrawn:withdrawn   -/verify               -                    rejected:rejected    fraudulent:fraudulent
verified   -                   -                -              withdrawn:withdrawn   -/already_signed       -                    rejected:rejected    fraudulent:fraudulent
held       -                   -                -              withdrawn:withdrawn   -/already_signed       verified:approved    rejected:rejected    fraudulent:fraudulent
late       -                   -                -              withdrawn:withdrawn   -/already_signed       -                    rejected:rejected    fraudulent:fraudulent
rejected   -                   -                -              -                     pending:signed/verify  verified:approved    -                    fraudulent:fraudulent
fraudulent -                   -                -              -                     pending:signed/verify  -                    rejected:rejected    -
withdrawn  -                   -                -              -                     pending:signed/verify  -                    -                    fraudulent:fraudulent
`;

function parseTable(text: string) {
  const [header, ...rows] = text.trim().split('\n');
  const events = (header ?? '').trim().split(/\s+/) as LifecycleEvent[];
  const cells: Array<{ state: SignatureState; event: LifecycleEvent; cell: string }> = [];
  for (const row of rows) {
    const [state, ...values] = row.trim().split(/\s+/);
    values.forEach((cell, i) => {
      cells.push({ state: state as SignatureState, event: events[i] as LifecycleEvent, cell });
    });
  }
  return { events, states: rows.map((r) => r.trim().split(/\s+/)[0]), cells };
}

describe('the signature lifecycle table', () => {
  const table = parseTable(EXPECTED);

  it('covers every state and every event, and nothing else', () => {
    expect(table.states).toEqual([...SIGNATURE_STATES]);
    expect(table.events).toEqual([...LIFECYCLE_EVENTS]);
    expect(table.cells).toHaveLength(SIGNATURE_STATES.length * LIFECYCLE_EVENTS.length);
  });

  it.each(parseTable(EXPECTED).cells)('$state × $event = $cell', ({ state, event, cell }) => {
    const [change, mail = null] = cell.split('/');
    const t = transition(state, event);
    expect(t.mail).toBe(mail);
    if (change === '-') {
      expect(t).toEqual({ to: state, countDelta: 0, record: null, mail, refusal: null });
      return;
    }
    const [to, record] = (change ?? '').split(':');
    expect(t.to).toBe(to);
    expect(t.record).toBe(record);
    expect(t.countDelta).toBe(Number(isCounted(t.to)) - Number(isCounted(state)));
  });

  it('moves the count in exactly these cells', () => {
    const moving = Object.entries(TRANSITIONS).flatMap(([state, row]) =>
      Object.entries(row)
        .filter(([, t]) => t.countDelta !== 0)
        .map(([event, t]) => `${state}.${event}${t.countDelta > 0 ? '+1' : '-1'}`),
    );
    expect(moving.sort()).toEqual(
      [
        'pending.confirm+1',
        'held.approve+1',
        'rejected.approve+1',
        'verified.withdraw-1',
        'verified.reject-1',
        'verified.mark_fraudulent-1',
      ].sort(),
    );
  });

  it('marks refusals on rejection and fraud, and clears them only on approval', () => {
    for (const [state, row] of Object.entries(TRANSITIONS)) {
      for (const [event, t] of Object.entries(row)) {
        const expected = t.record === 'rejected' || t.record === 'fraudulent' ? 'set' : t.record === 'approved' ? 'clear' : null;
        expect(t.refusal, `${state}.${event}`).toBe(expected);
      }
    }
  });
});

describe('holding for review', () => {
  const none = {
    impersonatesNotable: false,
    previouslyRefused: false,
    spike: false,
    sameNameConfirmed: false,
    duplicateNames: 'hold',
  } as const;

  it.each([
    [{}, null],
    [{ sameNameConfirmed: true }, 'name_duplicate'],
    [{ sameNameConfirmed: true, duplicateNames: 'allow' }, null],
    [{ spike: true }, 'spike'],
    [{ spike: true, sameNameConfirmed: true }, 'spike'],
    [{ previouslyRefused: true, spike: true }, 'previously_rejected'],
    [{ previouslyRefused: true, duplicateNames: 'allow' }, 'previously_rejected'],
    [{ impersonatesNotable: true, previouslyRefused: true, spike: true, sameNameConfirmed: true }, 'notable'],
  ] as const)('%j → %s', (facts, reason) => {
    expect(holdReasonFor({ ...none, ...facts })).toBe(reason);
  });

  it('picks the confirmation cell from the letter and the hold', () => {
    expect(confirmationEvent(true, null)).toBe('confirm');
    expect(confirmationEvent(true, 'spike')).toBe('confirm_held');
    expect(confirmationEvent(false, null)).toBe('confirm_late');
    expect(confirmationEvent(false, 'notable')).toBe('confirm_late');
  });

  it('lets a signer mail again after a minute, not before', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(mayMailAgain(null, at)).toBe(true);
    expect(mayMailAgain(at, new Date(at.getTime() + 59_999))).toBe(false);
    expect(mayMailAgain(at, new Date(at.getTime() + 60_000))).toBe(true);
  });
});

// A signer acting alone: whatever they do, in any order, a refused signature never counts again.
const SIGNER_ACTIONS = ['confirm', 'withdraw', 'sign_again'] as const;
type Step = (typeof SIGNER_ACTIONS)[number] | 'approve' | 'reject' | 'mark_fraudulent' | 'close';

/** Runs events as the service does: confirmations pick their cell from the hold decision. */
function replay(steps: Step[]) {
  let state: SignatureState = 'pending';
  let refused = false;
  let open = true;
  let count = 0;
  const trace: Array<{ step: Step; state: SignatureState; refused: boolean }> = [];
  for (const step of steps) {
    if (step === 'close') {
      open = false;
    } else {
      const event: LifecycleEvent =
        step === 'confirm'
          ? confirmationEvent(
              open,
              holdReasonFor({
                impersonatesNotable: false,
                previouslyRefused: refused,
                spike: false,
                sameNameConfirmed: false,
                duplicateNames: 'hold',
              }),
            )
          : step;
      const t = transition(state, event);
      state = t.to;
      count += t.countDelta;
      if (t.refusal === 'set') refused = true;
      if (t.refusal === 'clear') refused = false;
    }
    trace.push({ step, state, refused });
  }
  return { state, count, trace };
}

describe('over any sequence of events', () => {
  const step = fc.constantFrom<Step>(...SIGNER_ACTIONS, ...(MODERATOR_EVENTS as Step[]), 'close');

  it('the count is 1 exactly when the signature is verified', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const { state, count } = replay(steps);
        expect(count).toBe(isCounted(state) ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('after a refusal, only an approval makes the signature count again', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const { trace } = replay(steps);
        let refusedSinceApproval = false;
        for (const entry of trace) {
          if (entry.step === 'reject' || entry.step === 'mark_fraudulent') refusedSinceApproval = refusedSinceApproval || entry.refused;
          if (entry.step === 'approve' && entry.state === 'verified') refusedSinceApproval = false;
          if (refusedSinceApproval && entry.step !== 'approve') expect(entry.state).not.toBe('verified');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('nothing the signer does after the letter closes adds to the count', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 15 }),
        fc.array(fc.constantFrom<Step>(...SIGNER_ACTIONS), { maxLength: 15 }),
        (before, after) => {
          const atClose = replay([...before, 'close']).count;
          const { trace } = replay([...before, 'close', ...after]);
          for (const entry of trace.slice(before.length)) expect(isCounted(entry.state) ? 1 : 0).toBeLessThanOrEqual(atClose);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
