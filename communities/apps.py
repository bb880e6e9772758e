from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Districts and compounds")

    def ready(self):
        # After every app's admin module is loaded (django.contrib.admin autodiscovers in its own ready()).
        from django.contrib import admin

        from communities.admin_scope import close_unscoped_object_pages

        close_unscoped_object_pages(admin.site)
        # The token cache's invalidation (signals on tokens and users) in every process, not only in those that
        # have served an API request.
        import core.tokens  # noqa: F401
