/**
 * The session state machine lives in the domain: the transitions and what a user may do in each state.
 * The two tables must agree, or an adapter would offer a button the core refuses (or hide one it allows).
 */
import { describe, expect, it } from 'vitest';
import { ACTIONS, EDITABLE, FINAL_STATES, SESSION_STATES, TRANSITIONS, allows, sourcesOf } from '../../../src/domain/sessions.js';

describe('the session state machine', () => {
  it('GIVEN each state THEN plan, approve and cancel are allowed exactly where the transition they make exists', () => {
    for (const state of SESSION_STATES) {
      expect(allows(state, 'plan'), `${state} plan`).toBe(TRANSITIONS[state].includes('PLANNING'));
      expect(allows(state, 'approve'), `${state} approve`).toBe(TRANSITIONS[state].includes('APPLYING'));
      expect(allows(state, 'cancel'), `${state} cancel`).toBe(TRANSITIONS[state].includes('CANCELLED'));
    }
  });

  it('GIVEN a final state THEN nothing leaves it and no action is allowed in it', () => {
    for (const state of FINAL_STATES) {
      expect(TRANSITIONS[state]).toEqual([]);
      expect(ACTIONS[state]).toEqual([]);
    }
  });

  it('GIVEN the editable states THEN they are the drafts and the finished plans, and an expiry can come only from them', () => {
    expect(EDITABLE).toEqual(['DRAFT', 'PLANNED', 'PLAN_FAILED']);
    expect(sourcesOf('EXPIRED').sort()).toEqual([...EDITABLE].sort());
  });
});
