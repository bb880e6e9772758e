"""Photos: served through the scoped view (who gets them: test_permission_matrix.py), with private caching,
nosniff and inline display only for the checked image types; thumbnails on the portal's and the staff pages;
handlers' photos on a reply and a resolution, checked like residents'."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from petitions.models import PetitionAttachment, Status

pytestmark = pytest.mark.django_db


def photo(name="photo.jpg", fmt="JPEG", size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def with_photo(submit):
    """A resident's petition with one photo, routed to the firm in the demo compound."""
    petition = submit(photos=[photo()])
    return petition, petition.attachments.get()


def test_anonymous_is_sent_to_the_login(client, with_photo):
    response = client.get(reverse("petition-attachment", args=[with_photo[1].pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    bad_token = client.get(reverse("petition-attachment", args=[with_photo[1].pk]), HTTP_AUTHORIZATION="Token nope")
    assert bad_token.status_code == 302


def test_api_clients_follow_the_photos_with_their_token(api, users, with_photo):
    from rest_framework.authtoken.models import Token

    _petition, attachment = with_photo
    url = reverse("petition-attachment", args=[attachment.pk])
    for login, expected in (("resident", 200), ("firm_staff", 200), ("resident_2", 404)):
        token, _created = Token.objects.get_or_create(user=users[login])
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        assert api.get(url).status_code == expected, login


def test_a_photo_is_private_inline_and_not_sniffed(client, users, with_photo):
    _petition, attachment = with_photo
    client.force_login(users["resident"])
    response = client.get(reverse("petition-attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.size == (64, 48)
    thumb = client.get(reverse("petition-attachment-thumbnail", args=[attachment.pk]))
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as image:
        assert image.format == "JPEG" and max(image.size) <= 320
    assert thumb["Cache-Control"] == "private, max-age=3600"


def test_a_file_of_another_type_is_a_download_and_has_no_thumbnail(client, users, submit):
    petition = submit()
    other = PetitionAttachment.objects.create(
        petition=petition, file=ContentFile(b"<html><script>alert(1)</script>", name="page.html"),
        content_type="text/html", size=30)
    client.force_login(users["resident"])
    response = client.get(reverse("petition-attachment", args=[other.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert client.get(reverse("petition-attachment-thumbnail", args=[other.pk])).status_code == 404


def test_nginx_sends_the_bytes_when_the_offload_is_set(client, users, with_photo, settings):
    settings.ATTACHMENTS_X_ACCEL_PREFIX = "/protected-media/"
    _petition, attachment = with_photo
    client.force_login(users["firm_staff"])
    response = client.get(reverse("petition-attachment", args=[attachment.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{attachment.file.name}"
    assert response["Cache-Control"] == "private, max-age=3600"
    client.force_login(users["street_office_2"])
    assert client.get(reverse("petition-attachment", args=[attachment.pk])).status_code == 404


def test_the_api_gives_the_scoped_addresses(as_user, with_photo):
    petition, attachment = with_photo
    body = as_user("commissioner").get(f"/api/v1/petitions/{petition.pk}/").json()
    assert body["photos"] == [reverse("petition-attachment", args=[attachment.pk])]


def test_the_handler_replies_and_resolves_with_photos_through_the_api(as_user, submit):
    petition = submit()
    firm = as_user("firm_staff")
    url = f"/api/v1/petitions/{petition.pk}/"
    assert firm.post(url + "accept/", {}, format="json").status_code == 200
    bad = firm.post(url + "reply/", {"text": "已修好", "photos": [photo("x.png")]}, format="multipart")
    assert bad.status_code == 400 and "photos" in bad.json()
    petition.refresh_from_db()
    assert petition.reply == "" and not petition.attachments.exists()  # nothing half-written
    response = firm.post(url + "reply/", {"text": "已修好", "photos": [photo("fix.jpg")]}, format="multipart")
    assert response.status_code == 200, response.content
    response = firm.post(url + "resolve/", {"note": "完成", "photos": [photo("done.png", "PNG")]},
                         format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.RESOLVED and len(response.json()["photos"]) == 2
    kinds = sorted(a.event.kind for a in petition.attachments.select_related("event"))
    assert kinds == ["reply", "transition"]
    assert all(a.uploaded_by.username == "firm_staff" for a in petition.attachments.all())


def test_the_handler_attaches_photos_in_the_admin_and_everyone_who_sees_it_sees_them(client, users, with_photo):
    petition, _attachment = with_photo
    client.force_login(users["firm_staff"])
    handle = f"/admin/petitions/petition/{petition.pk}/handle/"
    client.post(handle + "accept/", {"accept-note": ""})
    client.post(handle + "reply/", {"reply-text": "已修好", "reply-photos": [photo("bad.png")]})
    petition.refresh_from_db()
    assert petition.reply == ""  # the forged name is refused, the reply not written
    client.post(handle + "reply/", {"reply-text": "已修好", "reply-photos": [photo("fix.jpg")]})
    client.post(handle + "resolve/", {"resolve-note": "", "resolve-photos": [photo("done.jpg")]})
    petition.refresh_from_db()
    assert petition.status == Status.RESOLVED and petition.attachments.count() == 3
    thumbnails = [reverse("petition-attachment-thumbnail", args=[a.pk]) for a in petition.attachments.all()]
    for login in ("firm_staff", "commissioner", "community_office", "street_office", "district_org"):
        client.force_login(users[login])
        page = client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content.decode()
        assert all(t in page for t in thumbnails), login
    client.force_login(users["resident"])
    page = client.get(reverse("portal:petition", args=[petition.pk])).content.decode()
    assert all(t in page for t in thumbnails)


def test_an_expired_token_opens_no_photo(api, users, with_photo, settings):
    # given a token older than its lifetime, which the API refuses
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    _petition, attachment = with_photo
    token, _created = Token.objects.get_or_create(user=users["resident"])
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timezone.timedelta(hours=settings.API_TOKEN_HOURS + 1))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/petitions/").status_code == 401
    # then the photo is refused alike: sent to the login, as a request without a valid login
    assert api.get(reverse("petition-attachment", args=[attachment.pk])).status_code == 302


def test_a_thumbnail_is_the_photo_reduced_to_320_pixels(client, users, submit):
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 500), (20, 120, 200)).save(buffer, format="PNG")
    petition = submit(photos=[SimpleUploadedFile("wide.png", buffer.getvalue(), content_type="image/png")])
    client.force_login(users["resident"])
    thumb = client.get(reverse("petition-attachment-thumbnail", args=[petition.attachments.get().pk]))
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as image:
        assert (image.format, image.size) == ("PNG", (320, 160))
