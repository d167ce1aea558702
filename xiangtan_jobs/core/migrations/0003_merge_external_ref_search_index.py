# Two branches of work each added a second core migration; neither touches the other's objects.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_posting_external_ref"),
        ("core", "0002_posting_search_index"),
    ]

    operations = []
