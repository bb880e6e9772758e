# A notice about a petition keeps its link: the petition's id becomes the target of kind "petition" (the kind
# petitions registers in its AppConfig.ready()). Backwards, the link goes back into the foreign key.

from django.db import migrations
from django.db.models import F

PETITION = "petition"


def petition_to_target(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(petition__isnull=False).update(target_kind=PETITION, target_id=F("petition_id"))


def target_to_petition(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Notification.objects.filter(target_kind=PETITION).update(petition_id=F("target_id"))
    Notification.objects.update(target_kind="", target_id=None)


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0002_generic_target"),
    ]

    operations = [
        migrations.RunPython(petition_to_target, target_to_petition),
    ]
