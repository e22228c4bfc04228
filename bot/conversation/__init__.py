"""The conversation: what a turn means (a command, a running flow, a lookup) and what to answer."""
