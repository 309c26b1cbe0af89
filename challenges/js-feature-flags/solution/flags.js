'use strict';

const { createHash } = require('node:crypto');

// Stable 0..99 bucket so a user keeps the same answer as a rollout grows.
function bucketFor(flagName, userId) {
  const digest = createHash('sha256').update(`${flagName}:${userId}`).digest('hex');
  return Number.parseInt(digest.slice(0, 8), 16) % 100;
}

class FlagService {
  constructor(source, { ttlMs = 30_000, now = Date.now, logger = console } = {}) {
    this.source = source;
    this.ttlMs = ttlMs;
    this.now = now;
    this.logger = logger;
    this.flags = null;
    this.fetchedAt = -Infinity;
    this.inflight = null;
  }

  async getFlags() {
    if (this.flags && this.now() - this.fetchedAt < this.ttlMs) {
      return this.flags;
    }
    // Share one refresh between all callers that find the cache stale.
    if (!this.inflight) {
      this.inflight = this.refresh().finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  async refresh() {
    try {
      const flags = await this.source.fetchFlags();
      this.flags = flags;
      this.fetchedAt = this.now();
      return flags;
    } catch (err) {
      if (!this.flags) throw err;
      this.logger.warn('feature flag refresh failed; serving last known flags', err);
      return this.flags;
    }
  }

  async isEnabled(flagName, userId) {
    const flag = (await this.getFlags())[flagName];
    if (!flag || !flag.enabled) return false;
    if (flag.allowList && flag.allowList.includes(userId)) return true;
    return bucketFor(flagName, userId) < flag.rollout;
  }
}

// GET /flags/<name>?user=<id>  ->  {"flag": name, "enabled": bool}
function createFlagsHandler(service) {
  return async function handleFlagRequest(req, res) {
    const url = new URL(req.url, 'http://flags.internal');
    const name = url.pathname.replace(/^\/flags\//, '');
    const userId = url.searchParams.get('user');
    if (!name || !userId) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'flag name and user are required' }));
      return;
    }
    try {
      const enabled = await service.isEnabled(name, userId);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ flag: name, enabled }));
    } catch (err) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'flags_unavailable' }));
    }
  };
}

module.exports = { FlagService, bucketFor, createFlagsHandler };
