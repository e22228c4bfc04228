"""Slack: slack-bolt mounted in the aiohttp app; payloads in, Block Kit out."""
