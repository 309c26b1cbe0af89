'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { CreditLedger } = require('../src/credits');

function makeStore(balances, admins) {
  const state = new Map(Object.entries(balances));
  return {
    state,
    async getBalance(team) {
      await null;
      return state.get(team) ?? 0;
    },
    async setBalance(team, value) {
      await null;
      state.set(team, value);
    },
    async isTeamAdmin(user, team) {
      await null;
      return (admins[user] ?? []).includes(team);
    },
  };
}

const ADMINS = { alice: ['sales'], bob: ['research'], root: ['sales', 'research', 'ops'] };

function setup(balances = { sales: 100, research: 500, ops: 0 }) {
  const store = makeStore(balances, ADMINS);
  return { store, ledger: new CreditLedger(store) };
}

test('simple transfer moves credits', async () => {
  const { store, ledger } = setup();
  const result = await ledger.transfer({ actorId: 'root', fromTeam: 'sales', toTeam: 'ops', amount: 40 });
  assert.deepEqual(result, { fromBalance: 60, toBalance: 40 });
  assert.equal(store.state.get('sales'), 60);
});
