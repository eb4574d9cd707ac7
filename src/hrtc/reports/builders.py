"""Assemble a report from its queries: which tables, in which sections, with which figures. `build()` runs the
queries (and nothing else); the exporters draw the charts and lay the report out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

import hrtc
from hrtc.reference.choices import RegionalGroup
from hrtc.reference.models import Fund, State
from hrtc.reports import queries
from hrtc.reports.choices import ReportKind
from hrtc.reports.document import Figure, Paragraph, Params, Report, Section, Table, content_digest

Progress = Callable[[str], None]
FIGURE_LIMIT = 12  # categories shown in a bar chart; the table holds them all


class Builder:
    """Runs queries into sections, reporting progress after each."""

    def __init__(self, scope: queries.Scope, progress: Progress | None = None):
        self.scope = scope
        self.progress = progress or (lambda label: None)
        self.sections: list[Section] = []

    def section(self, key: str, title: str, *, empty: str = "") -> Section:
        section = Section(key, title, empty_message=empty or _("No data for this section in the period."))
        self.sections.append(section)
        return section

    def table(self, section: Section, query: Callable[..., Table], **options: Any) -> Table:
        table = query(self.scope, **options)
        if "fund" in options:  # a fund report has the same tables for each fund and year: keys stay unique
            table.key = f"{table.key}_{options['fund']}_{options['year']}"
        section.blocks.append(table)
        self.progress(table.title)
        return table

    def bars(self, section: Section, query: Callable[..., Table], column: str, label: str) -> Table:
        """The most common pair: a table and a horizontal bar chart of one of its columns."""
        table = self.table(section, query)
        self.figure(section, table, "hbar", [column], xlabel=label)
        return table

    def figure(
        self,
        section: Section,
        table: Table,
        kind: str,
        series: list[str],
        *,
        title: str = "",
        xlabel: str = "",
        ylabel: str = "",
        key: str = "",
    ) -> None:
        """A chart of `table` (placed before it), unless the table is empty."""
        if table.empty:
            return
        category = table.columns[0].key
        figure = Figure(
            key="_".join(p for p in ("fig", table.key, key) if p),
            title=title or table.title,
            table=table.key,
            kind=kind,
            category=category,
            series=series,
            xlabel=xlabel,
            ylabel=ylabel,
        )
        figure.alt = alt_text(figure, table)
        section.blocks.insert(section.blocks.index(table), figure)

    def paragraph(self, section: Section, text: str) -> None:
        section.blocks.append(Paragraph(text))


def alt_text(figure: Figure, table: Table) -> str:
    """The chart in words: its kind, title, and every value it shows."""
    labels = {c.key: c.label for c in table.columns}
    index = {c.key: i for i, c in enumerate(table.columns)}
    kinds = {
        "bar": _("Bar chart"),
        "hbar": _("Bar chart"),
        "stacked": _("Stacked bar chart"),
        "hstacked": _("Stacked bar chart"),
        "line": _("Line chart"),
        "grouped": _("Bar chart"),
        "hgrouped": _("Bar chart"),
    }
    parts = []
    for row in table.rows[:FIGURE_LIMIT]:
        values = ", ".join(
            f"{labels[s]} {table.cell(row, table.columns[index[s]])}"
            if len(figure.series) > 1
            else table.cell(row, table.columns[index[s]])
            for s in figure.series
        )
        parts.append(f"{row[index[figure.category]]}: {values}")
    more = len(table.rows) - FIGURE_LIMIT
    tail = " " + _("and %(n)d more in the table.") % {"n": more} if more > 0 else ""
    return f"{kinds[figure.kind]}: {figure.title}. " + "; ".join(parts) + "." + tail


# ---------------------------------------------------------------------------------------------------------


def _thematic(b: Builder) -> None:
    p = b.scope.params
    s = b.section("summary", _("Summary"))
    b.table(s, queries.key_figures)

    s = b.section(
        "requests", _("Requests for technical assistance"), empty=_("No request was received in the period.")
    )
    b.bars(s, queries.requests_by_outcome, "requests", _("Requests"))
    b.bars(s, queries.requests_by_modality, "requests", _("Requests"))

    s = b.section(
        "activities", _("Technical cooperation provided"), empty=_("No activity took place in the period.")
    )
    b.bars(s, queries.activities_by_region, "activities", _("Activities"))
    b.bars(s, queries.activities_by_provider, "activities", _("Activities"))
    b.bars(s, queries.activities_by_theme, "activities", _("Activities"))
    b.bars(s, queries.activities_by_modality, "activities", _("Activities"))

    s = b.section("gender", _("Gender equality"), empty=_("No activity took place in the period."))
    b.bars(s, queries.gender_marker_distribution, "activities", _("Activities"))
    b.bars(s, queries.participants_by_sex, "participants", _("Participants"))

    s = b.section(
        "sdgs", _("Sustainable Development Goals"), empty=_("No activity of the period is linked to an SDG.")
    )
    t = b.table(s, queries.activities_by_sdg)
    b.figure(s, t, "bar", ["activities"], ylabel=_("Activities"))

    s = b.section("funds", _("Voluntary funds"), empty=_("No money moved in the period."))
    t = b.table(s, queries.fund_flows)
    b.figure(
        s,
        t,
        "hgrouped",
        ["committed", "disbursed"] if p.filtered else ["received", "committed", "disbursed"],
        xlabel=_("US dollars"),
    )

    s = b.section(
        "implementation",
        _("Implementation of recommendations supported by technical assistance"),
        empty=_(
            "No implementation status changed in the period on a recommendation that technical assistance addressed."
        ),
    )
    b.table(s, queries.status_changes_with_assistance, limit=25)

    s = b.section("practices", _("Good practices"), empty=_("No good practice was published in the period."))
    b.table(s, queries.highlighted_practices)


def _country(b: Builder) -> None:
    s = b.section("state", _("The State"))
    b.table(s, queries.state_facts)

    s = b.section(
        "recommendations", _("Recommendations"), empty=_("No recommendation is recorded for this State.")
    )
    b.bars(s, queries.recommendations_by_mechanism, "recommendations", _("Recommendations"))
    b.bars(s, queries.recommendations_by_response, "recommendations", _("Recommendations"))
    b.bars(s, queries.recommendations_by_status, "recommendations", _("Recommendations"))

    s = b.section(
        "assistance", _("Requests and activities"), empty=_("No request or activity in the period.")
    )
    b.table(s, queries.requests_of_state)
    b.table(s, queries.activities_of_state)

    s = b.section("funds", _("Funds received"), empty=_("No grant from the voluntary funds in the period."))
    t = b.table(s, queries.funds_received_by_state)
    b.figure(s, t, "hgrouped", ["committed", "disbursed"], xlabel=_("US dollars"))

    s = b.section("sdgs", _("SDG coverage"), empty=_("No record of this State is linked to an SDG."))
    t = b.table(s, queries.sdg_coverage_of_state)
    b.figure(s, t, "stacked", ["accepted", "suggested"], ylabel=_("Records"))

    s = b.section(
        "implementation",
        _("Implementation supported by technical assistance"),
        empty=_(
            "No implementation status changed in the period on a recommendation that technical assistance addressed."
        ),
    )
    b.table(s, queries.status_changes_with_assistance)

    s = b.section("timeline", _("Timeline"), empty=_("Nothing dated in the period."))
    t = b.table(s, queries.timeline)
    b.figure(s, t, "grouped", ["requests", "activities", "assessments"], ylabel=_("Count"))


def _fund(b: Builder) -> None:
    p = b.scope.params
    funds = [p.fund] if p.fund else list(Fund.objects.values_list("code", flat=True))
    names = {f.code: f.localized_name(p.language) for f in Fund.objects.filter(code__in=funds)}
    for year in p.years:
        for fund in funds:
            title = f"{names[fund]} — {year}"
            s = b.section(
                f"{fund}_{year}", title, empty=_("No movement on this fund in %(year)d.") % {"year": year}
            )
            t = b.table(s, queries.fund_cash, fund=fund, year=year)
            if t.empty:  # nothing more to say about a fund without money that year
                continue
            t = b.table(s, queries.fund_months, fund=fund, year=year)
            b.figure(s, t, "grouped", ["contributions", "disbursements"], ylabel=_("US dollars"))
            t = b.table(s, queries.fund_contributions_by_donor, fund=fund, year=year)
            b.figure(s, t, "hbar", ["usd"], xlabel=_("US dollars"))
            b.table(s, queries.fund_earmarking, fund=fund, year=year)
            t = b.table(s, queries.fund_pledge_fulfilment, fund=fund, year=year)
            b.figure(s, t, "hgrouped", ["pledged", "received"], xlabel=_("US dollars"))
            t = b.table(s, queries.fund_grants_by_region, fund=fund, year=year)
            b.figure(s, t, "hbar", ["usd"], xlabel=_("US dollars"))
            b.table(s, queries.fund_grants_by_state, fund=fund, year=year)
            b.table(s, queries.fund_grants_by_theme, fund=fund, year=year)


def _gender(b: Builder) -> None:
    s = b.section("marker", _("Gender equality marker"), empty=_("No activity took place in the period."))
    b.bars(s, queries.gender_marker_distribution, "activities", _("Activities"))
    t = b.table(s, queries.gender_marker_by_provider)
    b.figure(s, t, "hstacked", ["marker_0", "marker_1", "marker_2"], xlabel=_("Activities"))

    s = b.section(
        "participants", _("Participants by sex"), empty=_("No participants were recorded in the period.")
    )
    b.bars(s, queries.participants_by_sex, "participants", _("Participants"))

    s = b.section("trends", _("Trends"), empty=_("No activity took place in the period."))
    t = b.table(s, queries.gender_marker_by_year)
    b.figure(s, t, "stacked", ["marker_0", "marker_1", "marker_2"], ylabel=_("Activities"))
    b.figure(
        s,
        t,
        "line",
        ["targeted_share"],
        title=_("Share of activities marked 1 or 2, by year"),
        ylabel="%",
        key="share",
    )
    t = b.table(s, queries.participants_by_year)
    b.figure(s, t, "stacked", ["women", "men", "other"], ylabel=_("Participants"))
    b.figure(
        s,
        t,
        "line",
        ["women_share"],
        title=_("Women's share of participants, by year"),
        ylabel="%",
        key="share",
    )


BUILDERS = {
    ReportKind.THEMATIC: _thematic,
    ReportKind.COUNTRY: _country,
    ReportKind.FUND: _fund,
    ReportKind.GENDER: _gender,
}


def default_title(params: Params) -> str:
    if params.title:
        return params.title
    if params.kind == ReportKind.COUNTRY:
        state = State.objects.get(code=params.states[0])
        return _("Country profile: %(state)s") % {"state": state.localized_name(params.language)}
    titles = {
        ReportKind.THEMATIC: _("Technical cooperation and capacity-building in the field of human rights"),
        ReportKind.FUND: _("Voluntary funds: annual report"),
        ReportKind.GENDER: _("Gender equality in technical cooperation"),
    }
    return str(titles[params.kind])


def describe_scope(params: Params, user: Any) -> str:
    parts = [
        _("Period: %(start)s to %(end)s.")
        % {"start": params.start.isoformat(), "end": params.end.isoformat()}
    ]
    if params.states:
        parts.append(_("States: %(codes)s.") % {"codes": ", ".join(params.states)})
    if params.region:
        parts.append(_("Region: %(region)s.") % {"region": dict(RegionalGroup.choices)[params.region]})
    if params.theme:
        parts.append(
            _("Theme: %(theme)s (and its equivalents in the other vocabulary).") % {"theme": params.theme}
        )
    if params.provider:
        parts.append(_("Provider: %(code)s.") % {"code": params.provider})
    if params.fund:
        parts.append(_("Fund: %(code)s.") % {"code": params.fund})
    parts.append(audience_text(user))
    return " ".join(str(p) for p in parts)


def audience_text(user: Any) -> str:
    from hrtc.accounts.policy import principal

    who = principal(user)
    if not who.is_authenticated:
        return _(
            "Drawn from public data only: published activities and requests whose summary the State made public."
        )
    if who.is_platform_admin:
        return _("Drawn from all records (internal: not for publication).")
    return _("Drawn from the records %(user)s may see (internal: not for publication).") % {
        "user": user.get_username()
    }


def subtitle(params: Params) -> str:
    kinds = dict(ReportKind.choices)
    return f"{kinds[params.kind]} · {params.start.isoformat()} – {params.end.isoformat()}"


def plan(params: Params) -> int:
    """How many progress steps `build` reports for these parameters (for a progress bar)."""
    counts = {ReportKind.THEMATIC: 14, ReportKind.COUNTRY: 10, ReportKind.GENDER: 5}
    if params.kind == ReportKind.FUND:
        funds = 1 if params.fund else Fund.objects.count()
        return 8 * funds * len(params.years)
    return counts[params.kind]


def build(
    params: Params, user: Any, progress: Progress | None = None, *, now: datetime | None = None
) -> Report:
    """Run the report's queries as `user` (None: the public) and assemble the report."""
    with translation.override(params.language):
        scope = queries.Scope(user=user, params=params)
        builder = Builder(scope, progress)
        BUILDERS[params.kind](builder)
        report = Report(
            params=params,
            title=default_title(params),
            subtitle=subtitle(params),
            scope=describe_scope(params, user),
            sections=builder.sections,
        )
        report.manifest = manifest(report, user, now=now, disclosed=scope.disclosed())
        return report


def manifest(
    report: Report, user: Any, *, now: datetime | None = None, disclosed: dict[str, str] | None = None
) -> dict[str, Any]:
    """What the report is and how to reproduce it; for a report drawn from public data, also the
    consent-dependent records it disclosed (``disclosed``: model label → id ranges), by which a published
    version is withdrawn when one of them stops being public (``hrtc.reports.disclosed``)."""
    from hrtc.accounts.policy import principal

    who = principal(user)
    as_of = queries.data_as_of()
    return {
        "report": report.kind,
        "title": report.title,
        "parameters": report.params.as_dict(),
        "language": report.params.language,
        "hrtc_version": hrtc.__version__,
        "data_as_of": as_of.isoformat() if as_of else None,
        "generated_at": (now or timezone.now()).isoformat(timespec="seconds"),
        "generated_for": (
            "public"
            if not who.is_authenticated
            else ("all records" if who.is_platform_admin else user.get_username())
        ),
        "content_sha256": content_digest(report.tables),
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "query": t.query,
                "parameters": t.query_params,
                "rows": len(t.rows),
                **({"rows_in_all": t.total_rows} if t.total_rows is not None else {}),
            }
            for t in report.tables
        ],
        "figures": [
            {"key": f.key, "title": f.title, "table": f.table, "query": report.table(f.table).query}
            for f in report.figures
        ],
        **({"disclosed": disclosed} if disclosed is not None else {}),
    }
