"""The production smoke run over HTTP (scripts/production-smoke.sh starts the platform and calls this).

Against gunicorn + a Celery worker + beat on PostgreSQL and Redis, with production settings and the small demo:
a resident submits a petition with a photo; the routed handler accepts, replies with a photo and resolves; the
resident rates; a petition made overdue (its deadline set in the past in the database) is escalated by beat
within two minutes; /healthz is 200; the photo is served to the resident (token and session) and to nobody
outside the petition's scope; static files (the portal's stylesheet, the API docs' Swagger UI) are served.

Standard library only, plus psycopg2 (a main dependency) to move one deadline. Exits non-zero at the first step
that fails, saying which."""

import http.cookiejar
import io
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

BASE = os.environ.get("SMOKE_BASE_URL", "http://127.0.0.1:8765").rstrip("/")
PASSWORD = os.environ.get("SMOKE_PASSWORD", "demo-pass-2026")
ESCALATION_WAIT = float(os.environ.get("SMOKE_ESCALATION_WAIT", "120"))
STEP = 0


def step(text: str) -> None:
    global STEP
    STEP += 1
    print(f"[smoke {STEP:02d}] {text}", flush=True)


def fail(text: str) -> None:
    print(f"[smoke] FAILED: {text}", file=sys.stderr, flush=True)
    sys.exit(1)


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body.decode())

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Client:
    """One user's HTTP client: a token for the API, a cookie jar for the pages."""

    def __init__(self, token: str | None = None):
        self.token = token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def request(self, method, path, *, data=None, json_body=None, files=None, headers=None) -> Response:
        headers = dict(headers or {})
        body = None
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if json_body is not None:
            body, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif files is not None:
            body, headers["Content-Type"] = multipart(data or {}, files)
        elif data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(BASE + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=30) as resp:
                return Response(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as err:
            return Response(err.code, err.headers, err.read())

    def get(self, path, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path, **kw) -> Response:
        return self.request("POST", path, **kw)

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


def multipart(fields: dict, files: list[tuple[str, str, bytes, str]]):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content, content_type in files:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                  f"Content-Type: {content_type}\r\n\r\n".encode())
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def png(width=64, height=48) -> bytes:
    """A small valid PNG (the production install has Pillow; the client makes it with the standard library)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes((30, 120, 200)) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def expect(response: Response, status: int, what: str) -> Response:
    if response.status != status:
        fail(f"{what}: expected {status}, got {response.status}: {response.text()[:500]}")
    return response


def login(username: str) -> Client:
    response = Client().post("/api/v1/auth/token/", json_body={"username": username, "password": PASSWORD})
    return Client(expect(response, 200, f"token for {username}").json()["token"])


def session_login(username: str) -> Client:
    """The portal's login form, as a browser does it: the CSRF cookie, then the form with its token."""
    client = Client()
    page = expect(client.get("/login/"), 200, "the login page").text()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token or not client.cookie("csrftoken"):
        fail("the login page sets no CSRF cookie or token (are the cookies Secure over plain HTTP?)")
    response = client.post("/login/", data={"csrfmiddlewaretoken": token.group(1), "username": username,
                                            "password": PASSWORD}, headers={"Referer": BASE + "/login/"})
    if response.status != 302 or not client.cookie("sessionid"):
        fail(f"portal login of {username}: {response.status} {response.text()[:300]}")
    return client


def set_deadline_in_the_past(petition_id: int) -> None:
    import psycopg2

    with psycopg2.connect(os.environ["DATABASE_URL"]) as conn, conn.cursor() as cursor:
        cursor.execute("UPDATE petitions_petition SET deadline = now() - interval '1 hour' WHERE id = %s",
                       [petition_id])
        if cursor.rowcount != 1:
            fail(f"petition #{petition_id} not found in the database")


def main() -> None:
    step("GET /healthz (database and broker)")
    health = expect(Client().get("/healthz"), 200, "/healthz")
    if health.json().get("status") != "ok":
        fail(f"/healthz says {health.text()}")

    step("static files: the portal's stylesheet and the API docs' Swagger UI (whitenoise)")
    page = expect(Client().get("/login/"), 200, "the login page").text()
    css = re.search(r'href="(/static/css/portal\.[0-9a-f]+\.css)"', page)
    if not css:
        fail("the login page does not link the hashed stylesheet (collectstatic + manifest storage)")
    expect(Client().get(css.group(1)), 200, css.group(1))
    docs = expect(Client().get("/api/docs/"), 200, "/api/docs/").text()
    bundle = re.search(r'src="(/static/drf_spectacular_sidecar/[^"]+swagger-ui-bundle[^"]*\.js)"', docs)
    if not bundle or "//cdn" in docs:
        fail("/api/docs/ does not load Swagger UI from the static files")
    expect(Client().get(bundle.group(1)), 200, bundle.group(1))

    resident, firm, outsider = login("resident"), login("firm_staff"), login("resident_2")
    categories = expect(resident.get("/api/v1/petitions/categories/"), 200, "categories").json()
    repair = next((c for c in categories if c["code"] == "repair"), None) or fail("no 'repair' category")

    step("a resident submits a petition with a photo")
    created = expect(resident.post("/api/v1/petitions/", data={
        "category": repair["id"], "description": "生产环境冒烟测试：楼道灯不亮"},
        files=[("photos", "light.png", png(), "image/png")]), 201, "submit with a photo").json()
    pid = created["id"]
    if created["handler"]["kind"] != "firm":
        fail(f"petition #{pid} routed to {created['handler']}, expected the firm")

    step("the photo is served to the resident (token and portal session), 404 to another resident")
    detail = expect(resident.get(f"/api/v1/petitions/{pid}/"), 200, "detail").json()
    if len(detail["photos"]) != 1:
        fail(f"petition #{pid} has photos {detail['photos']}")
    photo_url = detail["photos"][0]
    for who, client in (("token", resident), ("session", session_login("resident"))):
        photo = expect(client.get(photo_url), 200, f"the photo for the resident ({who})")
        if photo.headers["Content-Type"] != "image/png" or not photo.body.startswith(b"\x89PNG"):
            fail(f"the photo ({who}) came back as {photo.headers['Content-Type']}")
        if "private" not in photo.headers.get("Cache-Control", "") or \
                photo.headers.get("X-Content-Type-Options") != "nosniff":
            fail(f"the photo's headers: {dict(photo.headers)}")
    expect(outsider.get(photo_url), 404, "the photo for a resident of another street")

    step("the routed handler accepts, replies with a photo and resolves")
    actions = expect(firm.get(f"/api/v1/petitions/{pid}/"), 200, "the handler's detail").json()["actions"]
    if "accept" not in actions:
        fail(f"firm_staff may not accept #{pid}: {actions}")
    expect(firm.post(f"/api/v1/petitions/{pid}/accept/", json_body={"note": "收到"}), 200, "accept")
    expect(firm.post(f"/api/v1/petitions/{pid}/reply/", data={"text": "已更换灯泡"},
                     files=[("photos", "fixed.png", png(32, 32), "image/png")]), 200, "reply with a photo")
    resolved = expect(firm.post(f"/api/v1/petitions/{pid}/resolve/", json_body={"note": "完成"}), 200,
                      "resolve").json()
    if resolved["status"] != "resolved" or len(resolved["photos"]) != 2:
        fail(f"after resolve: status {resolved['status']}, photos {resolved['photos']}")

    step("the resident rates")
    rated = expect(resident.post(f"/api/v1/petitions/{pid}/rate/", json_body={"rating": 5, "comment": "好"}), 200,
                   "rate").json()
    if rated["status"] != "closed" or rated["rating"] != 5:
        fail(f"after rating: {rated['status']}, {rated['rating']}")

    step(f"a petition made overdue is escalated by beat within {ESCALATION_WAIT:.0f} s")
    late = expect(resident.post("/api/v1/petitions/", json_body={
        "category": repair["id"], "description": "生产环境冒烟测试：超时升级"}), 201, "submit").json()
    set_deadline_in_the_past(late["id"])
    started = time.monotonic()
    while True:
        now = expect(resident.get(f"/api/v1/petitions/{late['id']}/"), 200, "poll").json()
        if now["level"] != late["level"]:
            print(f"  escalated {late['level']} → {now['level']} after {time.monotonic() - started:.0f} s")
            break
        if time.monotonic() - started > ESCALATION_WAIT:
            fail(f"petition #{late['id']} not escalated within {ESCALATION_WAIT:.0f} s (is beat running?)")
        time.sleep(3)

    step("GET /healthz once more")
    expect(Client().get("/healthz"), 200, "/healthz at the end")
    print("[smoke] all steps passed", flush=True)


if __name__ == "__main__":
    main()
