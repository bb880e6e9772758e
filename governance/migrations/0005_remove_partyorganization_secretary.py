from django.db import migrations


class Migration(migrations.Migration):
    """The secretary is the member in the secretary post (0004 copied it there)."""

    dependencies = [
        ("governance", "0004_party_org_members_cross_appointments"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='historicalpartyorganization',
            name='secretary',
        ),
        migrations.RemoveField(
            model_name='partyorganization',
            name='secretary',
        ),
    ]
