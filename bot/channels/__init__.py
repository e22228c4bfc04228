"""Channels: translate platform payloads to neutral turns and render neutral replies natively."""
