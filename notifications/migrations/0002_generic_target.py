from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="target_kind",
            field=models.CharField(blank=True, default="", help_text="The kind of object the notice is about, as registered by its app; empty for none.", max_length=40, verbose_name="about (kind)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="target_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="about (id)"),
        ),
    ]
