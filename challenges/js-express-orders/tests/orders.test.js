'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Response } = require('../src/router');
const { createOrdersApp } = require('../src/orders');

const quietLogger = { error() {} };

function makeStore({ orders = 7, failList = false, failProduct = false } = {}) {
  const created = [];
  return {
    created,
    async listOrders(userId) {
      await null;
      if (failList) throw new Error('connection reset by peer');
      return Array.from({ length: orders }, (_, i) => ({ id: `o${i + 1}`, userId }));
    },
    async findProduct(sku) {
      await null;
      if (failProduct) throw new Error('connection reset by peer');
      return sku === 'mug' ? { sku, price: 1200 } : null;
    },
    async createOrder(userId, order) {
      await null;
      const saved = { id: `o${100 + created.length}`, userId, ...order };
      created.push(saved);
      return saved;
    },
  };
}

async function call(app, method, path, { query = {}, body } = {}) {
  const res = new Response();
  await app.handle({ method, path, query, body, user: { id: 'u1' } }, res);
  // Let any pending promise callbacks run before we inspect the response.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  return res;
}

const ids = (res) => res.body.items.map((o) => o.id);

test('first page of orders', async () => {
  const res = await call(createOrdersApp(makeStore(), quietLogger), 'GET', '/orders', { query: { limit: '3' } });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(ids(res), ['o1', 'o2', 'o3']);
  assert.equal(res.body.nextOffset, 3);
});

test('second page continues after the first', async () => {
  const app = createOrdersApp(makeStore(), quietLogger);
  const res = await call(app, 'GET', '/orders', { query: { limit: '3', offset: '3' } });
  assert.deepEqual(ids(res), ['o4', 'o5', 'o6']);
  assert.equal(res.body.nextOffset, 6);
});

test('page in the middle of the list', async () => {
  const app = createOrdersApp(makeStore({ orders: 10 }), quietLogger);
  const res = await call(app, 'GET', '/orders', { query: { limit: '4', offset: '2' } });
  assert.deepEqual(ids(res), ['o3', 'o4', 'o5', 'o6']);
});

test('last partial page has no next offset', async () => {
  const app = createOrdersApp(makeStore(), quietLogger);
  const res = await call(app, 'GET', '/orders', { query: { limit: '5', offset: '0' } });
  assert.equal(res.body.total, 7);
  assert.equal(res.body.nextOffset, 5);
});

test('valid order is created', async () => {
  const store = makeStore();
  const res = await call(createOrdersApp(store, quietLogger), 'POST', '/orders', { body: { sku: 'mug', quantity: 2 } });
  assert.equal(res.statusCode, 201);
  assert.equal(store.created.length, 1);
  assert.equal(res.body.unitPrice, 1200);
});

test('unknown product is a 404', async () => {
  const res = await call(createOrdersApp(makeStore(), quietLogger), 'POST', '/orders', { body: { sku: 'hat', quantity: 1 } });
  assert.equal(res.statusCode, 404);
});

test('missing sku is a 400', async () => {
  const store = makeStore();
  const res = await call(createOrdersApp(store, quietLogger), 'POST', '/orders', { body: { quantity: 1 } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.body.error, 'invalid_order');
  assert.equal(store.created.length, 0);
});

test('zero quantity is a 400', async () => {
  const res = await call(createOrdersApp(makeStore(), quietLogger), 'POST', '/orders', { body: { sku: 'mug', quantity: 0 } });
  assert.equal(res.statusCode, 400);
});

test('database failure while listing returns 500', async () => {
  const res = await call(createOrdersApp(makeStore({ failList: true }), quietLogger), 'GET', '/orders');
  assert.equal(res.finished, true);
  assert.equal(res.statusCode, 500);
  assert.deepEqual(res.body, { error: 'internal_error' });
});

test('database failure while ordering returns 500', async () => {
  const app = createOrdersApp(makeStore({ failProduct: true }), quietLogger);
  const res = await call(app, 'POST', '/orders', { body: { sku: 'mug', quantity: 1 } });
  assert.equal(res.statusCode, 500);
  assert.equal(res.body.error, 'internal_error');
});

test('unknown route is a 404', async () => {
  const res = await call(createOrdersApp(makeStore(), quietLogger), 'DELETE', '/orders');
  assert.equal(res.statusCode, 404);
});
