'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { CreditLedger, handleTransfer } = require('../src/credits');

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

async function expectCode(promise, code) {
  await assert.rejects(promise, (err) => err.code === code);
}

test('simple transfer moves credits', async () => {
  const { store, ledger } = setup();
  const result = await ledger.transfer({ actorId: 'root', fromTeam: 'sales', toTeam: 'ops', amount: 40 });
  assert.deepEqual(result, { fromBalance: 60, toBalance: 40 });
  assert.equal(store.state.get('sales'), 60);
});

test('insufficient credits is refused', async () => {
  const { ledger } = setup();
  await expectCode(ledger.transfer({ actorId: 'root', fromTeam: 'sales', toTeam: 'ops', amount: 101 }), 'insufficient_credits');
});

test('admin of destination cannot pull credits', async () => {
  const { store, ledger } = setup();
  await expectCode(ledger.transfer({ actorId: 'alice', fromTeam: 'research', toTeam: 'sales', amount: 300 }), 'forbidden');
  assert.equal(store.state.get('research'), 500);
  assert.equal(store.state.get('sales'), 100);
});

test('admin of source can send credits', async () => {
  const { store, ledger } = setup();
  await ledger.transfer({ actorId: 'bob', fromTeam: 'research', toTeam: 'sales', amount: 50 });
  assert.equal(store.state.get('sales'), 150);
});

test('negative amount is rejected', async () => {
  const { store, ledger } = setup();
  await expectCode(ledger.transfer({ actorId: 'root', fromTeam: 'sales', toTeam: 'research', amount: -200 }), 'invalid_amount');
  assert.equal(store.state.get('sales'), 100);
  assert.equal(store.state.get('research'), 500);
});

test('fractional and string amounts are rejected', async () => {
  const { store, ledger } = setup();
  await expectCode(ledger.transfer({ actorId: 'root', fromTeam: 'sales', toTeam: 'ops', amount: 0.5 }), 'invalid_amount');
  await expectCode(ledger.transfer({ actorId: 'root', fromTeam: 'sales', toTeam: 'ops', amount: '10' }), 'invalid_amount');
  assert.equal(store.state.get('ops'), 0);
});

test('transfer to the same team is rejected', async () => {
  const { ledger } = setup();
  await expectCode(ledger.transfer({ actorId: 'root', fromTeam: 'sales', toTeam: 'sales', amount: 5 }), 'invalid_amount');
});

test('concurrent transfers cannot overdraw', async () => {
  const { store, ledger } = setup({ sales: 100, research: 0 });
  const outcomes = await Promise.allSettled(
    [70, 70].map((amount) => ledger.transfer({ actorId: 'root', fromTeam: 'sales', toTeam: 'research', amount })),
  );
  assert.deepEqual(outcomes.map((o) => o.status).sort(), ['fulfilled', 'rejected']);
  assert.equal(store.state.get('sales'), 30);
  assert.equal(store.state.get('research'), 70);
});

test('concurrent transfers keep the total constant', async () => {
  const { store, ledger } = setup({ sales: 100, research: 100, ops: 100 });
  const moves = [
    ['sales', 'research', 10], ['research', 'ops', 20], ['ops', 'sales', 30],
    ['sales', 'ops', 5], ['research', 'sales', 15], ['ops', 'research', 25],
  ];
  await Promise.all(moves.map(([fromTeam, toTeam, amount]) => ledger.transfer({ actorId: 'root', fromTeam, toTeam, amount })));
  assert.deepEqual(Object.fromEntries(store.state), { sales: 130, research: 100, ops: 70 });
});

test('deposits are serialised per team', async () => {
  const { store, ledger } = setup({ ops: 0 });
  await Promise.all([ledger.deposit('ops', 5), ledger.deposit('ops', 7)]);
  assert.equal(store.state.get('ops'), 12);
});

test('handler maps errors to status codes', async () => {
  const { ledger } = setup();
  const forbidden = await handleTransfer(ledger, { user: { id: 'carol' }, params: { teamId: 'sales' }, body: { toTeam: 'research', amount: 1 } });
  assert.equal(forbidden.status, 403);
  const poor = await handleTransfer(ledger, { user: { id: 'root' }, params: { teamId: 'sales' }, body: { toTeam: 'ops', amount: 1000 } });
  assert.equal(poor.status, 409);
});
