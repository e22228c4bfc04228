"""Microsoft Teams channel: Bot Framework activities in, neutral turns to the conversation, Adaptive Cards out."""
