'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Response } = require('../src/router');
const { createOrdersApp } = require('../src/orders');

test('a valid order is created with 201', async () => {
  const store = {
    async findProduct(sku) { return { sku, price: 500 }; },
    async createOrder(userId, order) { return { id: 'o1', userId, ...order }; },
  };
  const res = new Response();
  await createOrdersApp(store).handle(
    { method: 'POST', path: '/orders', query: {}, body: { sku: 'tea', quantity: 3 }, user: { id: 'u1' } },
    res,
  );
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(res.statusCode, 201);
  assert.deepEqual(res.body, { id: 'o1', userId: 'u1', sku: 'tea', quantity: 3, unitPrice: 500 });
});
