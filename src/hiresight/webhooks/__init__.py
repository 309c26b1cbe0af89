"""Signed webhooks: events written to an outbox with the change, delivered with retries."""
