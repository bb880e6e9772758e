"""Where a notice leads. Each app registers, in its `AppConfig.ready()`, the kinds of object its notices are
about, with the page that opens one for staff (the admin, as a rule) and for residents (the portal). The inbox
asks here, so this app knows none of the apps above it (docs/adr/0004)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models.signals import post_delete
from django.urls import reverse

from notifications.models import Notification

# A page: the name of a URL that takes the object's id, or a function of the id that returns the address.
Page = str | Callable[[int], str] | None


@dataclass(frozen=True)
class Kind:
    name: str
    model: type
    staff: Page
    resident: Page

    def url(self, pk: int, *, staff: bool) -> str | None:
        page = self.staff if staff else self.resident
        if page is None:
            return None
        return reverse(page, args=[pk]) if isinstance(page, str) else page(pk)


_kinds: dict[str, Kind] = {}
_by_model: dict[type, Kind] = {}


def register(name: str, model: type, *, staff: Page = None, resident: Page = None) -> None:
    """Makes `model`'s objects targets of notices under `name` (stored in each row: never rename one). A deleted
    object takes its notices with it, as the petition's foreign key of earlier releases did."""
    kind = Kind(name, model, staff, resident)
    _kinds[name] = _by_model[model] = kind
    post_delete.connect(_forget, sender=model, weak=False, dispatch_uid=f"notifications.forget.{name}")


def kind(name: str) -> Kind | None:
    return _kinds.get(name)


def target_of(obj) -> tuple[str, int | None]:
    """The stored (kind, id) of a notice about `obj`; ("", None) for none."""
    if obj is None:
        return "", None
    try:
        return _by_model[obj._meta.concrete_model].name, obj.pk
    except KeyError:
        raise LookupError(f"{type(obj).__name__} is not registered as a target of notices") from None


def url_for(notification, user) -> str | None:
    """The page that opens what the notice is about, for this user: staff get theirs, everyone else the
    resident's; None when there is nothing to open."""
    registered = _kinds.get(notification.target_kind)
    if registered is None or notification.target_id is None:
        return None
    return registered.url(notification.target_id, staff=user.is_staff)


def _forget(sender, instance, **kwargs) -> None:
    Notification.objects.filter(target_kind=_by_model[sender].name, target_id=instance.pk).delete()
