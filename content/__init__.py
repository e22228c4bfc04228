"""The shipped content packs and shared synonyms, installed as package data (`integriteitsbot_content`)."""
