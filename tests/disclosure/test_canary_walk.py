"""The canary disclosure walk: nothing leaves its readers, on any surface, old or new.

A world is built once through the real services with a unique canary planted in every field that is not
public (``world.py``), and a person in every visibility class (``expectations.READERS``). Then, over real
HTTP against the live server (keep-alive, a bearer token for the API, the session for the pages):

(a) every URL pattern of the URL conf (the admin's too), its parameters filled from the world — canary
    records of the right kind, codes, slugs, formats — and every page of every list, by every reader;
(b) every operation of the OpenAPI schema, lists with every declared query parameter (canary values and
    controls, every ordering both ways);
(c) search, API and page, for the canaries;
(d) the Atom feeds (they are URL patterns);
(e) a public report in HTML, PDF, DOCX and XLSX, and (f) the IATI exports, made through the real code path.

Every response (PDF, DOCX and XLSX text extracted) is searched for every canary; a canary a reader's class
may not read (``expectations.EXPECTATIONS``, hand-written) is a violation. Oracles: a filter set to the
canary organisation, a private record's id or a private text must answer exactly as the same filter set to
a control with no associations; ordering by a field the reader cannot read must give the same order both
ways (or be refused); a detail address of a private record must answer as a missing one; a transition or
a consent change on a request the reader may not see must answer 404 like a missing request. No CSV or
XLSX may carry a formula-like cell, no page stored markup unsanitised; the admin's forms offer no field the
services own, and no platform administrator seats themselves in a State's government or consents for it.
Then the State withdraws consent to publishing a request whose activity was published, and the walk is
repeated: the activity must be gone from every surface, downloads' ETags included.

Which reader reads how much is set below (the CI budget: three minutes per database); everything they leave
out, someone else reads. All violations are collected and the test fails once, with the full list grouped
by cause. A URL pattern or operation the walker cannot fill fails the test unless ``surfaces.SKIP`` says why
it is left out. Run it with ``make disclosure-walk`` (``pytest tests/disclosure -m walk``).
"""

from __future__ import annotations

import io
import json
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from lxml import etree

from tests.disclosure import expectations as ex
from tests.disclosure import surfaces
from tests.disclosure.walker import Violation, Walker, routes
from tests.disclosure.world import HIDDEN_DISBURSEMENT, HIDDEN_GRANT, iati_exports, withdraw_consent

#: Readers of the second walk, after consent is withdrawn: the public and one signed-in outsider.
AFTER_READERS = (ex.ANONYMOUS, "other_state_writer")
#: Readers who are entitled to none of the canary organisation's associations nor to the private records the
#: probes name: the oracles' readers (the public, a State's outsider, a provider the State did not consent to).
ORACLE_READERS = (ex.ANONYMOUS, "other_state_writer", "unct_writer")
#: Readers for whom every OpenAPI operation is also called with every declared query parameter (canary
#: values and their controls, every ordering both ways): the public and a signed-in outsider.
CONTENT_READERS = (ex.ANONYMOUS, "unct_writer")
#: Readers who also read every admin pattern (everyone else reads the admin's index: the admin refuses in one
#: place) and every page of public codes (every fund, every State); the first also reads every public file in
#: every binary format (everyone else reads its HTML or CSV), and both read every fuzzed record's own pages
#: (everyone reads them in the lists): the public, and a provider whose consent the fuzz narrowed.
FULL_READERS = (ex.ANONYMOUS, "unct_writer")
BINARY_READERS = (ex.ANONYMOUS,)
#: Readers of every admin page of every canary record (the platform administrator reads everything anyway,
#: so it walks the admin as the full readers do: every pattern once).
ADMIN_READERS = (ex.STAFF,)
#: Readers who search: the public for every canary through the API, and through the page for one per private
#: record and every private field (see Walker.one_per_record); a signed-in outsider, a consented provider and
#: a practice author's organisation for one per record through the API (search asks the same question of
#: two readers entitled to the same canaries).
SEARCH_READERS = (ex.ANONYMOUS, ex.NO_ORG, "consented_viewer", "cso_viewer")


def test_no_canary_reaches_a_reader_who_may_not_read_it(world):
    started = time.monotonic()
    walker = Walker(world, world.ids["base_url"])
    walker.sign_in(ex.READERS)
    walker.schema = json.loads(walker.fetch(ex.ANONYMOUS, "/api/schema/?format=json").raw)
    problems: list[str] = []
    sign_in_works(walker, problems)

    # (a) + (d) the URL conf, (b) the OpenAPI schema, the write oracle, (c) search
    phase = time.monotonic()
    walker.walk_routes(
        ex.READERS,
        full_readers=FULL_READERS,
        admin_readers=ADMIN_READERS,
        oracle_readers=ORACLE_READERS,
        record_readers=FULL_READERS,
        binary_readers=BINARY_READERS,
    )
    walker.stats.seconds["phase: routes"] = time.monotonic() - phase
    phase = time.monotonic()
    walker.walk_operations(ex.READERS, content_readers=CONTENT_READERS, oracle_readers=CONTENT_READERS)
    walker.stats.seconds["phase: operations"] = time.monotonic() - phase
    phase = time.monotonic()
    walker.write_oracle([r for r in ex.READERS if r != ex.ADMIN])
    walker.admin_guard(ex.ADMIN)
    fixed = sorted(n for n in [*world.canaries, *world.numbers] if not n.startswith("fuzz."))
    walker.walk_search(SEARCH_READERS, fixed, page_readers=())
    walker.walk_search([ex.ANONYMOUS], fixed, page_readers=(ex.ANONYMOUS,), every=())  # the page, too
    walker.walk_search([ex.ANONYMOUS], fuzz_sample(world), page_readers=())
    walker.stats.seconds["phase: search"] = time.monotonic() - phase

    # (e) the public reports, (f) the IATI exports: read as anonymous visitors would
    for (kind, fmt), data in sorted(world.report_files.items()):
        walker.check_file(ex.ANONYMOUS, f"report {kind}.{fmt} (hrtc report --public)", data)
    for name, xml in world.iati.items():
        surface = "iati-organisation-file" if name == "organisations" else None
        walker.check_file(ex.ANONYMOUS, f"hrtc export iati ({name})", xml.encode(), surface)
    iati_budgets(world, problems)
    iati_carries_exactly_the_published(walker, world, problems)

    everything_public_is_somewhere(walker, world, problems)
    every_format_carries_every_published_activity(walker, world, problems)
    entitled_readers_see_their_canaries(walker, problems)

    # (6) the State withdraws consent to publishing a request whose activity is published
    etags = download_etags(walker)
    withdraw_consent(world)
    after = Walker(world, world.ids["base_url"], walker.schema)
    after.sign_in(AFTER_READERS)
    after.walk_routes(
        AFTER_READERS,
        full_readers=(ex.ANONYMOUS,),
        oracle_readers=AFTER_READERS,
        binary_readers=(ex.ANONYMOUS,),
    )
    after.walk_operations(AFTER_READERS, content_readers=(), oracle_readers=())
    after.walk_search(
        AFTER_READERS, sorted(ex.AFTER_WITHDRAWAL), page_readers=AFTER_READERS, every=AFTER_READERS
    )
    with tempfile.TemporaryDirectory() as out:
        iati_exports(world, Path(out))
        call_command("report", "country", "--state", "KEN", "--public", "-o", str(Path(out) / "k.html"),
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
        after.check_file(
            ex.ANONYMOUS, "report country.html after withdrawal", (Path(out) / "k.html").read_bytes()
        )
    for name, xml in world.iati.items():
        surface = "iati-organisation-file" if name == "organisations" else None
        after.check_file(ex.ANONYMOUS, f"hrtc export iati ({name}) after withdrawal", xml.encode(), surface)
    stale_etags(after, etags, problems)
    back_doors(world, walker.violations)
    for violation in after.violations:
        violation.cause += " after withdrawal"
    walker.close()
    after.close()

    report = summary(walker, after, world, time.monotonic() - started)
    print(report)  # noqa: T201 - the walk's figures, shown with -s and in CI's log on failure
    violations = walker.violations + after.violations
    unfilled = {**walker.stats.routes_unfilled, **walker.stats.operations_unfilled}
    problems += [
        f"cannot fill {key!r} ({what}): add a filler or a SKIP with a reason"
        for key, what in unfilled.items()
    ]
    problems += [
        f"GET {key!r} answers 405 to every reader: add it to SKIP with a reason"
        for key in walker.stats.routes_405
    ]
    stale = set(surfaces.SKIP) - {r.key for r in routes()}
    problems += [f"SKIP names {key!r}, which is no URL pattern any more" for key in sorted(stale)]
    assert not violations, "\n" + listing(violations, problems)
    assert not problems, "\n" + listing(violations, problems)


# ---------------------------------------------------------------------------------------------------------


def fuzz_sample(world) -> list[str]:
    """The fuzz's private canaries to search for: one of every kind of text (its public ones are in the lists
    anyway, and every fuzzed canary is looked for in every response)."""
    chosen: dict[str, list[str]] = defaultdict(list)
    for name in sorted(world.canaries):
        if name.startswith("fuzz.") and ex.ANONYMOUS not in world.readers_of[name]:
            kind = name.split(".", 2)[2].rsplit(".", 1)[0]  # request.title, activity.budget, …
            if len(chosen[kind]) < 1:
                chosen[kind].append(name)
    return [n for names in chosen.values() for n in names]


def sign_in_works(walker: Walker, problems: list[str]) -> None:
    """Every signed-in reader is who the walk thinks: over the API (token) and on the pages (session)."""
    for name, user in walker.world.readers.items():
        if user is None:
            continue
        me = walker.fetch(name, "/api/v1/accounts/me/")
        if me.status != 200 or json.loads(me.raw).get("username") != user.get_username():
            problems.append(f"{name}: the API token does not sign in ({me.status})")
        account = walker.fetch(name, "/account/")
        if account.status != 200 or user.get_username().lower() not in account.text:
            problems.append(f"{name}: the session does not sign in to the pages ({account.status})")


def everything_public_is_somewhere(walker: Walker, world, problems: list[str]) -> None:
    """A walk that sees nothing passes every other check: the public controls, and every fuzzed text the
    fuzz made public, must reach anonymous visitors somewhere."""
    missing = sorted(set(world.controls) - walker.controls_seen)
    if missing:
        problems.append(
            f"public controls no anonymous visitor found anywhere (a walk that sees nothing?): {missing}"
        )
    public = [
        n for n, readers in world.readers_of.items() if n.startswith("fuzz.") and readers == ex.EVERYONE
    ]
    unseen = sorted(n for n in public if not walker.seen[ex.ANONYMOUS][n])
    if unseen:
        problems.append(f"published fuzzed texts no anonymous visitor found anywhere: {unseen}")


def iati_carries_exactly_the_published(walker: Walker, world, problems: list[str]) -> None:
    """The IATI consent fuzz's checks on `hrtc export iati`: exactly the published activities, and no money
    of an activity the public may not see."""
    xml = world.iati["activities"]
    titles = {
        n
        for n in world.canaries
        if ".activity.title." in n or (n.startswith("activity.") and n.endswith(".title"))
    }
    public = {walker.by_text.get(t) or walker.controls.get(t) for t in world.public_activity_titles}
    shown = {n for n in walker.find(xml.lower(), "other") if n in titles}
    shown |= {walker.controls[t] for t in world.public_activity_titles if t in walker.controls and t in xml}
    if shown != public:
        problems.append(
            f"hrtc export iati: published activities missing {sorted(public - shown)}, extra {sorted(shown - public)}"
        )
    for amount in (HIDDEN_GRANT, HIDDEN_DISBURSEMENT):
        if f">{amount}<" in xml:
            problems.append(f"hrtc export iati: carries {amount}, money of an unpublished activity")


def every_format_carries_every_published_activity(walker: Walker, world, problems: list[str]) -> None:
    """The consent fuzz's last check: each download format carries exactly the published activities."""
    titles = {
        n
        for n in world.canaries
        if ".activity.title." in n or (n.startswith("activity.") and n.endswith(".title"))
    }
    public = {walker.by_text.get(t) or walker.controls.get(t) for t in world.public_activity_titles}
    for fmt in ("csv", "json", "xlsx", "iati"):
        url = f"/open/download/activities.{fmt}"
        got = walker.fetch(ex.ANONYMOUS, url)
        shown = {n for n in walker.find(got.text, got.kind) if n in titles}
        shown |= {
            walker.controls[t] for t in world.public_activity_titles if t in walker.controls and t in got.text
        }
        if shown != public:
            problems.append(
                f"{url}: published activities missing {sorted(public - shown)}, extra {sorted(shown - public)}"
            )


def entitled_readers_see_their_canaries(walker: Walker, problems: list[str]) -> None:
    for name, readers in ex.MUST_SEE.items():
        blind = sorted(r for r in readers if not walker.seen[r][name])
        if blind:
            problems.append(f"{name}: entitled readers found it nowhere (sign-in or walk broken?): {blind}")


def iati_budgets(world, problems: list[str]) -> None:
    """The organisation file totals only published activities' budgets (the IATI consent fuzz's check); the
    canary organisation, a partner of unpublished activities only, has no totals at all."""
    tree = etree.fromstring(world.iati["organisations"].encode())
    canary_org = world.org["consented"].code
    refs = {
        "unwomen": world.org["lead"].iati_org_ref or "XX-HRTC-unwomen",
        "ohchr": "XX-HRTC-ohchr",
        canary_org: f"XX-HRTC-{canary_org}",
    }
    for code, expected in {**world.public_budgets, canary_org: Decimal(0)}.items():
        found = tree.xpath(f"/iati-organisations/iati-organisation[organisation-identifier='{refs[code]}']")
        values = (
            ("total-budget/value", "total-expenditure/value")
            if code == canary_org
            else ("total-budget/value",)
        )
        total = sum(
            (Decimal(v.text) for org in found for path in values for v in org.iterfind(path)), Decimal(0)
        )
        if total != expected:
            problems.append(
                f"IATI organisation file: {code}'s total budget is {total}, published activities' {expected}"
            )


class Undo(Exception):
    """Rolls back a write that should have been refused, so the world stays as it was."""


def back_doors(world, violations: list[Violation]) -> None:
    """The platform administrator cannot act for a State: not by seating themselves in its government, not
    by consenting for it (README: "nobody consents for a State"). Asked of the services the admin and the
    API call; a write that goes through is undone and reported."""
    from hrtc.accounts.policy import AccessDenied
    from hrtc.accounts.services import membership_set
    from hrtc.assistance.services import request_set_consent

    admin, government = world.readers[ex.ADMIN], world.org["own_state"]
    request = world.ids["r_unpublished"]
    attempts = {
        "membership_set(a platform admin, the State's government, focal_point)": lambda: membership_set(
            by=admin, organisation=government, user=admin, role="focal_point"
        ),
        "request_set_consent(by a platform admin)": lambda: request_set_consent(
            request=request, by=admin, providers=list(request.consent_providers.all()), publish_summary=True
        ),
    }
    for attempt, call in attempts.items():
        try:
            with transaction.atomic():
                call()
                violations.append(
                    Violation("write: back door", ex.ADMIN, attempt, "-", "went through (undone)")
                )
                raise Undo
        except (AccessDenied, Undo):
            pass


def download_etags(walker: Walker) -> dict[str, str]:
    etags = {}
    for dataset in ("activities", "requests"):
        for fmt in ("csv", "json"):
            url = f"/open/download/{dataset}.{fmt}"
            response = walker.readers[ex.ANONYMOUS].pages.get(url)
            if response.headers.get("etag"):
                etags[url] = response.headers["etag"]
    return etags


def stale_etags(walker: Walker, etags: dict[str, str], problems: list[str]) -> None:
    """A download cached before the State withdrew consent must not be confirmed as current."""
    for url, etag in etags.items():
        response = walker.readers[ex.ANONYMOUS].pages.get(url, headers={"If-None-Match": etag})
        if response.status_code == 304:
            problems.append(f"{url}: 304 Not Modified for an ETag from before consent was withdrawn")


def summary(walker: Walker, after: Walker, world, seconds: float) -> str:
    all_routes = routes()
    ops = list(walker.operations())
    skipped_routes = {r.key for r in all_routes if r.key in surfaces.SKIP}
    lines = [
        "",
        f"canary walk: {seconds:.0f}s walking + {world.ids['build_seconds']:.0f}s building the world "
        f"({', '.join(f'{k} {v}s' for k, v in world.ids['timings'].items())})",
        f"URL patterns: walked {len(walker.stats.routes_walked)}/{len(all_routes)} "
        f"(skipped {len(skipped_routes)}, unfilled {len(walker.stats.routes_unfilled)}, 405 {len(walker.stats.routes_405)})",
        f"OpenAPI operations: walked {len(walker.stats.operations_walked)}/{len(ops)} "
        f"(skipped {len(walker.stats.operations_skipped)}: "
        f"{sum(r == surfaces.WRITE_REASON for r in walker.stats.operations_skipped.values())} writes, the rest on "
        f"SKIP; unfilled {len(walker.stats.operations_unfilled)})",
        f"requests: {walker.stats.requests} + {after.stats.requests} after withdrawal; readers {len(ex.READERS)}; "
        f"canaries {len(world.canaries)} texts + {len(world.numbers)} numbers; controls {len(world.controls)}",
        "time by phase: "
        + ", ".join(f"{k[7:]} {v:.0f}s" for k, v in walker.stats.seconds.items() if k.startswith("phase: ")),
        "most time: "
        + ", ".join(
            f"{name} {n}×{spent / n * 1000:.0f}ms"
            for name, (n, spent) in sorted(walker.stats.by_name.items(), key=lambda kv: -kv[1][1])[:30]
        ),
    ]
    return "\n".join(lines)


def listing(violations: list[Violation], problems: list[str]) -> str:
    """All violations, grouped by cause: what went wrong (a leak or an oracle) on which family of surfaces."""
    by_cause: dict[tuple[str, str], list[Violation]] = defaultdict(list)
    for v in violations:
        by_cause[(v.cause, v.surface)].append(v)
    out = [f"{len(violations)} violations in {len(by_cause)} causes, {len(problems)} problems", ""]
    for (cause, surface), found in sorted(by_cause.items()):
        canaries = sorted({v.canary for v in found})
        readers = sorted({v.reader for v in found})
        out.append(f"  {len(found):4d}  {cause} on {surface}: {', '.join(canaries[:6])}{' …' if len(canaries) > 6 else ''}"
                   f"  [readers: {', '.join(readers)}]")  # fmt: skip
    for (cause, surface), found in sorted(by_cause.items()):
        out.append(f"\n== {cause} on {surface} ({len(found)})")
        out += ["  " + v.line() for v in sorted(found, key=lambda v: (v.canary, v.reader, v.url))]
    if problems:
        out.append("\n== problems")
        out += ["  " + p for p in problems]
    return "\n".join(out)
