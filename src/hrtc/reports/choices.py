from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic report on technical cooperation (Council panel)")
    COUNTRY = "country", _("Country profile")
    FUND = "fund", _("Fund annual report")
    GENDER = "gender", _("Gender equality report")


class ReportFormat(models.TextChoices):
    HTML = "html", _("Web page (HTML)")
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Editable draft (Word, DOCX)")
    XLSX = "xlsx", _("Data annex (Excel, XLSX)")


class Audience(models.TextChoices):
    """Whose view of the data a report is drawn from. Only a public report may be published."""

    PUBLIC = "public", _("Public data only (can be published)")
    MINE = "mine", _("Everything I may see (internal)")


class WithdrawalReason(models.TextChoices):
    """Why a published version stopped being served to the public (it is kept, marked, never rewritten)."""

    CONSENT = "consent", _("A State withdrew consent to publish data it contained.")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


CONTENT_TYPES = {
    ReportFormat.HTML: "text/html; charset=utf-8",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
