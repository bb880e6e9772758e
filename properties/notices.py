"""The one place properties tells people something, through the bottom-layer notifications app."""


from notifications.services import notify as send


def notify(user_ids, *, subject: str, body: str = "", target=None) -> None:
    if not user_ids:
        return
    send(list(user_ids), subject=subject, body=body, target=target)
