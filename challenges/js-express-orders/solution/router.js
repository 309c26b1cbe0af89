'use strict';

// A small Express-style router: exact-path routes plus error-handling middleware.

class Response {
  constructor() {
    this.statusCode = 200;
    this.headers = {};
    this.body = undefined;
    this.finished = false;
  }

  status(code) {
    this.statusCode = code;
    return this;
  }

  json(body) {
    if (this.finished) throw new Error('response already sent');
    this.headers['content-type'] = 'application/json';
    this.body = body;
    this.finished = true;
    return this;
  }
}

class Router {
  constructor() {
    this.routes = [];
    this.errorHandlers = [];
  }

  get(path, handler) {
    this.routes.push({ method: 'GET', path, handler });
  }

  post(path, handler) {
    this.routes.push({ method: 'POST', path, handler });
  }

  useErrorHandler(handler) {
    this.errorHandlers.push(handler);
  }

  async handle(req, res) {
    const route = this.routes.find((r) => r.method === req.method && r.path === req.path);
    if (!route) {
      res.status(404).json({ error: 'not_found' });
      return;
    }
    const next = (err) => this.fail(err, req, res);
    try {
      await route.handler(req, res, next);
    } catch (err) {
      next(err);
    }
  }

  fail(err, req, res) {
    for (const handler of this.errorHandlers) {
      if (!res.finished) handler(err, req, res);
    }
    if (!res.finished) res.status(500).json({ error: 'internal_error' });
  }
}

module.exports = { Router, Response };
