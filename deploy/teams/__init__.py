"""The Teams app's manifest template, icons and strings, installed as package data (`integriteitsbot_teams`)."""
