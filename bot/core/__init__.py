"""The channel-neutral core: the conversation, the neutral values it passes, and every sentence it says."""
