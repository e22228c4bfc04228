"""The neutral vocabulary every layer speaks: turns and replies, outcomes, markup, people and shared sentences."""
