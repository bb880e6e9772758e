"""The one place properties tells people something: through the bottom-layer notifications app once it is
installed (the floor issue moves it out of petitions), a no-op until then."""

from django.apps import apps


def notify(user_ids, *, subject: str, body: str = "", target=None) -> None:
    if not user_ids or not apps.is_installed("notifications"):
        return
    from notifications import notify as send  # bottom layer, installed by the floor issue

    send(list(user_ids), subject=subject, body=body, target=target)
