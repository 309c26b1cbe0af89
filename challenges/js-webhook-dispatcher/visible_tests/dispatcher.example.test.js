'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { EventEmitter } = require('node:events');
const { WebhookDispatcher } = require('../src/dispatcher');

test('delivers an event to every subscriber', async () => {
  const bus = new EventEmitter();
  const sent = [];
  const dispatcher = new WebhookDispatcher(bus, {
    subscriptions: { forEventType: async () => [{ url: 'https://a.example/h' }, { url: 'https://b.example/h' }] },
    send: async (url) => { sent.push(url); },
    signingSecret: 'k',
  });
  dispatcher.start();
  bus.emit('domain-event', { id: 'evt_1', type: 'candidate.hired', data: {} });
  await new Promise((resolve) => setImmediate(resolve));
  dispatcher.stop();
  assert.deepEqual(sent.sort(), ['https://a.example/h', 'https://b.example/h']);
});
