from django.db import models


class Document(models.Model):
    """One searchable record. `content` holds the normalised tokens both engines index; the rest is for
    permission filtering, facets and snippets."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    audience = models.CharField(
        max_length=8,
        choices=[
            ("all", "everyone who sees the record"),
            ("public", "those who see only its public fields"),
            ("full", "those who read it in full"),
        ],
        default="full",
        help_text="Who is given this document (search.documents).",
    )
    object_key = models.CharField(
        max_length=120, blank=True, help_text="The record's stable key (natural key, slug, SDG code)."
    )
    state = models.ForeignKey(
        "reference.State", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.CharField(max_length=20, blank=True)
    mechanism = models.CharField(max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    language = models.CharField(max_length=8, default="en")
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    content = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # A record is indexed once per language (SDG goals and targets come in the six UN languages) and
        # audience (a request has a public document, its summary, and a full one).
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language", "audience"], name="search_document_unique_audience"
            )
        ]
        indexes = [models.Index(fields=["kind", "state"]), models.Index(fields=["kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title[:60]}"


class DocumentTag(models.Model):
    """A multi-valued facet of a document: its themes and SDG goals."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tags")
    facet = models.CharField(max_length=10)
    value = models.CharField(max_length=120)

    class Meta:
        indexes = [models.Index(fields=["facet", "value"])]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"
