"""What the bot knows: content packs, Dutch-aware lookup, routing, roles and the deployment's contacts."""
