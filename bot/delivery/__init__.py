"""Delivery: notification cards, recipients, and the outbox worker with its channels."""
