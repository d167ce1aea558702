"""Seekers' usernames were their phone numbers in clear: each becomes a random value. They keep
logging in with the phone, found through their registration's phone digest (core/auth_backends.py)."""

from __future__ import annotations

import secrets

from django.db import migrations


def opaque_usernames(apps, schema_editor):
    User = apps.get_model("core", "User")
    taken = set(User.objects.values_list("username", flat=True))
    for user in User.objects.filter(role="seeker").exclude(username__startswith="s_").only("pk").iterator():
        name = f"s_{secrets.token_hex(8)}"
        while name in taken:
            name = f"s_{secrets.token_hex(8)}"
        taken.add(name)
        User.objects.filter(pk=user.pk).update(username=name)


class Migration(migrations.Migration):
    dependencies = [("core", "0011_seekerskill_trained")]

    operations = [migrations.RunPython(opaque_usernames, migrations.RunPython.noop)]
