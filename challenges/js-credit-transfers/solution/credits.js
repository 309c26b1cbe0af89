'use strict';

const { KeyedMutex } = require('./mutex');

class CreditError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const STATUS_BY_CODE = { invalid_amount: 422, forbidden: 403, insufficient_credits: 409 };

function validateTransfer(fromTeam, toTeam, amount) {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new CreditError('invalid_amount', 'amount must be a positive whole number of credits');
  }
  if (fromTeam === toTeam) {
    throw new CreditError('invalid_amount', 'source and destination must differ');
  }
}

// Interview credits are bought per team; team admins can move credits to another team.
class CreditLedger {
  constructor(store) {
    this.store = store;
    this.locks = new KeyedMutex();
  }

  async deposit(teamId, amount) {
    return this.locks.run(teamId, async () => {
      const balance = await this.store.getBalance(teamId);
      await this.store.setBalance(teamId, balance + amount);
      return balance + amount;
    });
  }

  async transfer({ actorId, fromTeam, toTeam, amount }) {
    validateTransfer(fromTeam, toTeam, amount);
    const isAdmin = await this.store.isTeamAdmin(actorId, fromTeam);
    if (!isAdmin) {
      throw new CreditError('forbidden', 'only admins of the source team can transfer its credits');
    }
    return this.locks.runAll([fromTeam, toTeam], () => this.move(fromTeam, toTeam, amount));
  }

  async move(fromTeam, toTeam, amount) {
    const available = await this.store.getBalance(fromTeam);
    if (available < amount) {
      throw new CreditError('insufficient_credits', `team ${fromTeam} has ${available} credits`);
    }
    const received = await this.store.getBalance(toTeam);
    await this.store.setBalance(fromTeam, available - amount);
    await this.store.setBalance(toTeam, received + amount);
    return { fromBalance: available - amount, toBalance: received + amount };
  }
}

// POST /teams/:teamId/credit-transfers  {"toTeam": "...", "amount": 10}
async function handleTransfer(ledger, req) {
  try {
    const result = await ledger.transfer({
      actorId: req.user.id,
      fromTeam: req.params.teamId,
      toTeam: req.body.toTeam,
      amount: req.body.amount,
    });
    return { status: 200, body: result };
  } catch (err) {
    if (!(err instanceof CreditError)) throw err;
    return { status: STATUS_BY_CODE[err.code], body: { error: err.code, detail: err.message } };
  }
}

module.exports = { CreditLedger, CreditError, handleTransfer };
