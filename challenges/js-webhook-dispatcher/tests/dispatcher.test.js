'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { EventEmitter } = require('node:events');
const { WebhookDispatcher } = require('../src/dispatcher');

// Lets queued promise callbacks and rejections run before assertions.
const settle = async () => {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

function fakeTimers() {
  const timers = { pending: new Map(), nextId: 1, delays: [] };
  timers.setTimeout = (fn, ms) => {
    const id = timers.nextId++;
    timers.pending.set(id, fn);
    timers.delays.push(ms);
    return id;
  };
  timers.clearTimeout = (id) => timers.pending.delete(id);
  timers.runAll = async () => {
    while (timers.pending.size > 0) {
      const [id, fn] = timers.pending.entries().next().value;
      timers.pending.delete(id);
      fn();
      await settle();
    }
  };
  return timers;
}

function setup({ failures = 0, maxAttempts = 3, subscriptions } = {}) {
  const bus = new EventEmitter();
  const timers = fakeTimers();
  const calls = [];
  const send = async (url, request) => {
    calls.push({ url, request });
    await null;
    if (calls.length <= failures) throw new Error('503 Service Unavailable');
  };
  const subs = subscriptions ?? { forEventType: async () => [{ url: 'https://hooks.example.com/ats' }] };
  const dispatcher = new WebhookDispatcher(bus, { subscriptions: subs, send, signingSecret: 's3cret', maxAttempts, timers });
  dispatcher.start();
  return { bus, timers, calls, dispatcher };
}

const hired = { id: 'evt_1', type: 'candidate.hired', data: { candidate: 'c-9' } };

test('event is delivered with a signature', async () => {
  const { bus, calls, dispatcher } = setup();
  bus.emit('domain-event', hired);
  await settle();
  assert.equal(calls.length, 1);
  assert.equal(calls[0].request.headers['x-webhook-signature'].length, 64);
  assert.deepEqual(dispatcher.delivered, [{ url: 'https://hooks.example.com/ats', eventId: 'evt_1', attempts: 1 }]);
});

test('transient failure is retried with backoff', async () => {
  const { bus, calls, timers, dispatcher } = setup({ failures: 2 });
  bus.emit('domain-event', hired);
  await settle();
  await timers.runAll();
  assert.equal(calls.length, 3);
  assert.deepEqual(timers.delays, [1000, 2000]);
  assert.equal(dispatcher.delivered[0].attempts, 3);
});

test('failing endpoint gets exactly three attempts', async () => {
  const { bus, calls, timers, dispatcher } = setup({ failures: 100 });
  bus.emit('domain-event', hired);
  await settle();
  await timers.runAll();
  assert.equal(calls.length, 3);
  assert.equal(dispatcher.deadLetters.length, 1);
  assert.equal(dispatcher.deadLetters[0].attempts, 3);
});

test('single attempt policy never retries', async () => {
  const { bus, calls, timers, dispatcher } = setup({ failures: 100, maxAttempts: 1 });
  bus.emit('domain-event', hired);
  await settle();
  assert.equal(timers.pending.size, 0);
  await timers.runAll();
  assert.equal(calls.length, 1);
  assert.equal(dispatcher.deadLetters.length, 1);
});

test('stop cancels scheduled retries', async () => {
  const { bus, timers, dispatcher } = setup({ failures: 100 });
  bus.emit('domain-event', hired);
  await settle();
  assert.equal(timers.pending.size, 1);
  dispatcher.stop();
  assert.equal(timers.pending.size, 0);
});

test('no delivery attempts after stop', async () => {
  const { bus, calls, timers, dispatcher } = setup({ failures: 100 });
  bus.emit('domain-event', hired);
  await settle();
  dispatcher.stop();
  await timers.runAll();
  bus.emit('domain-event', { ...hired, id: 'evt_2' });
  await settle();
  assert.equal(calls.length, 1);
});

test('subscription lookup failure is recorded', async () => {
  const subscriptions = {
    forEventType: async () => {
      throw new Error('subscriptions db timeout');
    },
  };
  const { bus, dispatcher } = setup({ subscriptions });
  bus.emit('domain-event', hired);
  await settle();
  const recorded = [...dispatcher.failures, ...dispatcher.deadLetters].filter((f) => f.eventId === 'evt_1');
  assert.equal(recorded.length, 1);
  assert.match(recorded[0].error, /subscriptions db timeout/);
});

test('malformed subscriber url is recorded', async () => {
  const subscriptions = { forEventType: async () => [{ url: 'not a url' }] };
  const { bus, dispatcher, calls } = setup({ subscriptions });
  bus.emit('domain-event', { ...hired, id: 'evt_7' });
  await settle();
  assert.equal(calls.length, 0);
  const recorded = [...dispatcher.failures, ...dispatcher.deadLetters];
  assert.deepEqual(recorded.map((f) => f.eventId), ['evt_7']);
});
