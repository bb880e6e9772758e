"""The zh-hans catalogue (locale/zh_Hans/LC_MESSAGES): complete, in step with the source, compiled, and what
the platform speaks by default.

When a test here fails after you added or changed a user-facing string:
    .venv/bin/python manage.py makemessages -l zh_Hans --ignore '.venv/*' --ignore 'var/*' \
        --ignore 'benchmarks/*' --no-obsolete
translate the new entries in django.po (and drop their `#, fuzzy` flags), then
    .venv/bin/python manage.py compilemessages -l zh_Hans --ignore '.venv/*' --ignore 'var/*'
and keep both django.po and django.mo in the repository.
"""

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE = Path("locale") / "zh_Hans" / "LC_MESSAGES"
PO_PATH = BASE_DIR / CATALOGUE / "django.po"
MO_PATH = BASE_DIR / CATALOGUE / "django.mo"
# The command the catalogue is made with (see the module docstring).
MAKEMESSAGES = [
    "makemessages", "-l", "zh_Hans", "--ignore", ".venv/*", "--ignore", "var/*", "--ignore", "benchmarks/*",
    "--no-obsolete",
]
# What is not source: copying it for the up-to-date check would only cost time.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "var", "benchmarks", "locale", "__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache",
    ".hypothesis", "node_modules", "*.pyc", "*.sqlite3",
)

PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?P<conv>[diouxXeEfFgGcrsa%])")
NAMED = re.compile(r"%\((\w+)\)")
BRACE = re.compile(r"\{([^{}]*)\}")


def load_po() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def key(entry) -> tuple:
    return entry.msgctxt, entry.msgid, entry.msgid_plural


def translations(entry) -> list[str]:
    if entry.msgid_plural:
        return [text for _, text in sorted(entry.msgstr_plural.items(), key=lambda kv: int(kv[0]))]
    return [entry.msgstr]


def percent_placeholders(text: str) -> tuple[Counter, list[str]]:
    """Named placeholders as a multiset, positional ones in order (%% is not a placeholder)."""
    named, positional = Counter(), []
    for match in PERCENT.finditer(text):
        if match["conv"] == "%":
            continue
        if match["name"] is not None:
            named[match["name"]] += 1
        else:
            positional.append(match["conv"])
    return named, positional


def brace_placeholders(text: str) -> Counter:
    return Counter(BRACE.findall(text.replace("{{", "").replace("}}", "")))


def placeholder_problems(entry) -> list[str]:
    problems = []
    sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
    for text in translations(entry):
        # A named %(x)s is unambiguous: it must survive translation whatever the flags say.
        if Counter(NAMED.findall(text)) != Counter(NAMED.findall(entry.msgid)):
            problems.append(f"named placeholders differ: {entry.msgid!r} -> {text!r}")
        if "python-format" in entry.flags and all(
            percent_placeholders(text) != percent_placeholders(source) for source in sources
        ):
            problems.append(f"%-placeholders differ: {entry.msgid!r} -> {text!r}")
        if "python-brace-format" in entry.flags and brace_placeholders(text) != brace_placeholders(entry.msgid):
            problems.append(f"{{}}-placeholders differ: {entry.msgid!r} -> {text!r}")
    return problems


# --- (a) complete ---------------------------------------------------------------------------------------------


def test_the_catalogue_is_for_simplified_chinese_with_one_plural_form():
    po = load_po()
    assert po.metadata["Language"] == "zh_Hans"
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert not po.metadata_is_fuzzy
    assert len(po) > 100


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = load_po()
    untranslated = [e.msgid for e in po if not e.obsolete and not all(translations(e))]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    obsolete = [e.msgid for e in po if e.obsolete]
    assert untranslated == [], f"untranslated: {untranslated}"
    assert fuzzy == [], f"fuzzy, check and drop the flag: {fuzzy}"
    assert obsolete == [], f"obsolete, rerun makemessages with --no-obsolete: {obsolete}"


def test_placeholders_match_between_source_and_translation():
    problems = [problem for e in load_po() for problem in placeholder_problems(e)]
    assert problems == []


def test_plural_entries_have_exactly_one_form():
    wrong = [e.msgid for e in load_po() if e.msgid_plural and len(e.msgstr_plural) != 1]
    assert wrong == []


def test_the_official_terms_are_used():
    """The names of roles and bodies are the ones in docs/domain.md, not free renderings."""
    from communities.models import Role
    from governance.models import Body

    with translation.override("zh-hans"):
        assert str(Role.DISTRICT_ORG.label) == "区委组织部"
        assert str(Role.STREET_OFFICE.label) == "街道三方办"
        assert str(Role.COMMISSIONER.label) == "小区专员"
        assert {str(label) for label in Body.Kind.labels} == {"业委会", "物管会", "监事会", "自管会"}


def test_a_word_shared_by_two_meanings_is_told_apart_by_its_context():
    """"period", "node", "Rejected" and "rating" mean different things in different apps: each meaning keeps its
    own Chinese (a context), so a later merge cannot turn the ledger's month into an evaluation quarter."""
    from governance.models import Evaluation
    from ledger.models import CommonItem, FundApplication, FundReview, Transaction
    from petitions.models import Petition, PetitionFigures, Status
    from rankings.models import Review

    def label(model, field):
        return str(model._meta.get_field(field).verbose_name)

    with translation.override("zh-hans"):
        assert (label(Transaction, "period"), label(Review, "period")) == ("会计期间", "考评周期")
        assert (label(PetitionFigures, "node_id"), label(Review, "node_id")) == ("单位", "审核单位")
        assert str(Status.REJECTED.label) == "不予受理"
        assert {str(FundApplication.Status.REJECTED.label), str(FundReview.Outcome.REJECTED.label),
                str(CommonItem.Status.REJECTED.label)} == {"已驳回"}
        assert (label(Evaluation, "rating"), label(Petition, "rating")) == ("评议结果", "满意度评价")


# --- (b) in step with the source -------------------------------------------------------------------------------


def test_the_catalogue_holds_every_string_of_the_source(tmp_path):
    """makemessages runs on a copy of the tree (its settings put LOCALE_PATHS inside the copy), so the
    committed catalogue is never written; every msgid it finds must be in the committed .po, translated."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed: cannot extract strings from the source")
    tree = tmp_path / "tree"
    shutil.copytree(BASE_DIR, tree, ignore=NOT_SOURCE, symlinks=True)
    (tree / "locale").mkdir()
    before = PO_PATH.read_bytes()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "VAR_DIR": str(tmp_path / "var")}
    run = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES], cwd=tree, env=env, capture_output=True, text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert PO_PATH.read_bytes() == before, "makemessages wrote into the committed catalogue"

    extracted = polib.pofile(str(tree / CATALOGUE / "django.po"))
    committed = {key(e): e for e in load_po()}
    found = {key(e) for e in extracted}
    assert len(found) > 100
    missing = sorted(str(k) for k in found if k not in committed)
    untranslated = sorted(str(k) for k in found if k in committed and (
        "fuzzy" in committed[k].flags or not all(translations(committed[k]))
    ))
    stale = sorted(str(k) for k in committed if k not in found)
    assert missing == [], f"strings in the source but not in django.po (run makemessages): {missing}"
    assert untranslated == [], f"strings not (or only fuzzily) translated: {untranslated}"
    assert stale == [], f"entries no longer in the source (run makemessages --no-obsolete): {stale}"


# --- (c) compiled -------------------------------------------------------------------------------------------


def test_the_compiled_catalogue_matches_the_po():
    """django.mo carries exactly the translations of django.po. This compares contents rather than file
    times: git does not keep modification times, so a fresh checkout may give the .mo either order."""
    assert MO_PATH.exists(), "run compilemessages and commit django.mo"
    po_side = {(e.msgctxt, e.msgid): tuple(translations(e)) for e in load_po() if e.translated()}
    mo_side = {(e.msgctxt, e.msgid): tuple(translations(e)) for e in polib.mofile(str(MO_PATH))}
    assert mo_side == po_side, "django.mo is out of date: run compilemessages"


# --- (d) what users see --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_portal_speaks_chinese_by_default(client, users):
    client.force_login(users["resident"])
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert "我的房屋" in page
    assert "My household" not in page


@pytest.mark.django_db
def test_the_portal_speaks_english_when_asked(client, users):
    client.force_login(users["resident"])
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "My household" in page and "我的房屋" not in page


@pytest.mark.django_db
def test_api_errors_come_in_chinese_by_default(api):
    response = api.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["username"] == ["该字段是必填项。"]


@pytest.mark.django_db
def test_a_domain_error_of_the_platform_comes_in_chinese(api, users):
    response = api.post("/api/v1/auth/token/", {"username": "resident", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "用户名或密码不正确，无法登录。" in str(response.json())
