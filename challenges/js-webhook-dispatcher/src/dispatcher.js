'use strict';

const { createHmac } = require('node:crypto');

// Delivers domain events from the in-process event bus to customers' webhook endpoints,
// retrying failed deliveries with exponential backoff.
class WebhookDispatcher {
  constructor(bus, {
    subscriptions,
    send,
    signingSecret,
    maxAttempts = 3,
    baseDelayMs = 1000,
    timers = { setTimeout, clearTimeout },
  }) {
    this.bus = bus;
    this.subscriptions = subscriptions;
    this.send = send;
    this.signingSecret = signingSecret;
    this.maxAttempts = maxAttempts;
    this.baseDelayMs = baseDelayMs;
    this.timers = timers;
    this.pendingRetries = new Set();
    this.delivered = [];
    this.deadLetters = [];
    this.failures = [];
    this.listener = null;
  }

  start() {
    this.listener = (event) => {
      this.dispatch(event);
    };
    this.bus.on('domain-event', this.listener);
  }

  stop() {
    this.bus.off('domain-event', this.listener);
    this.listener = null;
  }

  async dispatch(event) {
    const targets = await this.subscriptions.forEventType(event.type);
    const body = JSON.stringify({ id: event.id, type: event.type, data: event.data });
    const signature = createHmac('sha256', this.signingSecret).update(body).digest('hex');
    for (const target of targets) {
      const url = new URL(target.url);
      this.attempt(url, body, signature, event.id, 1);
    }
  }

  attempt(url, body, signature, eventId, attemptNo) {
    const headers = { 'content-type': 'application/json', 'x-webhook-signature': signature };
    this.send(url.href, { headers, body }).then(
      () => {
        this.delivered.push({ url: url.href, eventId, attempts: attemptNo });
      },
      (error) => {
        if (attemptNo > this.maxAttempts) {
          this.deadLetters.push({ url: url.href, eventId, attempts: attemptNo, error: error.message });
          return;
        }
        const delay = this.baseDelayMs * 2 ** (attemptNo - 1);
        const timer = this.timers.setTimeout(() => {
          this.pendingRetries.delete(timer);
          this.attempt(url, body, signature, eventId, attemptNo + 1);
        }, delay);
        this.pendingRetries.add(timer);
      },
    );
  }
}

module.exports = { WebhookDispatcher };
