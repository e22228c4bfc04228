"""Signing the code: campaigns that ask people to read and confirm it, the register, reminders and exports."""
