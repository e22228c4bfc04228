"""Integriteitsbot: the deontological code of Flemish local governments, in Teams and Slack."""
