'use strict';

const { Router } = require('./router');

const MAX_LIMIT = 100;

function createOrdersApp(store, logger = console) {
  const app = new Router();

  app.get('/orders', async (req, res) => {
    const limit = Math.min(Number.parseInt(req.query.limit ?? '20', 10) || 20, MAX_LIMIT);
    const offset = Math.max(Number.parseInt(req.query.offset ?? '0', 10) || 0, 0);
    const orders = await store.listOrders(req.user.id);
    const items = orders.slice(offset, offset + limit);
    res.json({
      items,
      total: orders.length,
      nextOffset: offset + limit < orders.length ? offset + limit : null,
    });
  });

  app.post('/orders', async (req, res) => {
    const { sku, quantity } = req.body ?? {};
    if (typeof sku !== 'string' || !Number.isInteger(quantity) || quantity < 1) {
      return res.status(400).json({ error: 'invalid_order', detail: 'sku and a positive quantity are required' });
    }
    const product = await store.findProduct(sku);
    if (!product) {
      return res.status(404).json({ error: 'unknown_product', sku });
    }
    const order = await store.createOrder(req.user.id, { sku, quantity, unitPrice: product.price });
    res.status(201).json(order);
  });

  app.useErrorHandler((err, req, res) => {
    logger.error(`${req.method} ${req.path} failed`, err);
    res.status(500).json({ error: 'internal_error' });
  });

  return app;
}

module.exports = { createOrdersApp };
