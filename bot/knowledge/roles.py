"""How the bot names a role to a user, with only the contact details the code gives."""

from __future__ import annotations

from bot.knowledge.packs import Role


def role_name(role: Role) -> str:
    """'je leidinggevende' for the employee's own role, 'de algemeen directeur' otherwise."""
    return f"je {role.name.lower()}" if role.personal else f"de {role.name.lower()}"


def describe_role(role: Role) -> str:
    """A role's name with whatever contact details the code gives, and nothing invented."""
    details = [*role.phone, *role.email]
    name = role_name(role)
    if role.id == "vertrouwenspersoon":
        name = "een vertrouwenspersoon"
    return f"{name} ({', '.join(details)})" if details else name
