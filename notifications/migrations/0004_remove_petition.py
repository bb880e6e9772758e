from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0003_petition_link_to_target"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="notification",
            name="petition",
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["target_kind", "target_id"], name="notification_target"),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("target_id__isnull", True), ("target_kind", ""))) | models.Q(models.Q(("target_kind", ""), _negated=True), ("target_id__isnull", False)), name="notification_target_whole"),
        ),
    ]
