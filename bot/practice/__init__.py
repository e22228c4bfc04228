"""Practising the code together: dilemmas posted in a team channel with an anonymous poll, on demand or on a
schedule, and their figures."""
