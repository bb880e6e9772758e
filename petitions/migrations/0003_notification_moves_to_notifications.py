# The inbox moved to the `notifications` app (docs/adr/0004): the table and its rows stay, renamed; this app's
# state forgets the model, which `notifications.0001_initial` takes up.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("petitions", "0002_notification_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="notification", table="notifications_notification"),
            ],
            state_operations=[
                migrations.DeleteModel(name="notification"),
            ],
        ),
    ]
