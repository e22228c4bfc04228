"""Microsoft Teams channel: Bot Framework activities in, neutral turns to the core, Adaptive Cards out."""
