from django.db import models


class Document(models.Model):
    """One searchable record. `content` holds the normalised tokens both engines index; the rest is for
    permission filtering, facets and snippets."""

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
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
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [models.Index(fields=["kind", "state"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title[:60]}"
