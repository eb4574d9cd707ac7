"""The reports API: queue a report (it is generated in the background), follow it, download its files; list
saved reports (and, for the transparency portal, the published ones; a version withdrawn because a State
withdrew consent to data it contained is listed only to OHCHR and administrators, marked). Thin."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from hrtc.reports import selectors, services
from hrtc.reports.choices import Audience, ReportKind
from hrtc.reports.document import Params
from hrtc.reports.models import ReportRun, SavedReport


class RunSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = ["id", "kind", "parameters", "audience", "status", "progress", "step", "title", "files",
                  "manifest", "error", "created_at", "finished_at"]  # fmt: skip

    def get_files(self, run) -> dict[str, str]:
        return {fmt: reverse("reports:run-file", args=[run.pk, fmt]) for fmt in run.files}


class SavedSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField()

    class Meta:
        model = SavedReport
        fields = ["id", "symbol", "version", "kind", "title", "parameters", "language", "audience", "manifest",
                  "created_at", "is_published", "published_at", "withdrawn_at", "withdrawn_reason",
                  "files"]  # fmt: skip

    def get_files(self, saved) -> dict[str, str]:
        return {f.format: reverse("reports:saved-file", args=[saved.pk, f.format]) for f in saved.files.all()}


class RunCreateApi(APIView):
    """Queue a report. Answers 202 with the run; poll it until `status` is `done`, then fetch `files`."""

    class ReportRunInput(serializers.Serializer):
        kind = serializers.ChoiceField(choices=ReportKind.choices)
        start = serializers.DateField(required=False, allow_null=True)
        end = serializers.DateField(required=False, allow_null=True)
        states = serializers.ListField(child=serializers.CharField(max_length=3), required=False)
        region = serializers.CharField(required=False, allow_blank=True)
        theme = serializers.CharField(required=False, allow_blank=True)
        provider = serializers.CharField(required=False, allow_blank=True)
        fund = serializers.CharField(required=False, allow_blank=True)
        language = serializers.CharField(required=False, default="en")
        title = serializers.CharField(required=False, allow_blank=True, max_length=300)
        audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.PUBLIC)

    serializer_class = ReportRunInput

    def post(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        data = self.ReportRunInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        audience, kind = values.pop("audience"), values.pop("kind")
        params = Params.parse(kind, **values)
        run = services.run_request(by=request.user, params=params, audience=audience)
        return Response(RunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class RunApi(RetrieveAPIView):
    serializer_class = RunSerializer

    def get_queryset(self):
        return selectors.runs_visible(self.request.user)


class SavedListApi(ListAPIView):
    serializer_class = SavedSerializer
    filterset_fields = ["kind", "symbol", "is_published"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without touching the data
            return SavedReport.objects.none()
        return selectors.saved_visible(self.request.user)


class PublishedListApi(ListAPIView):
    """Published report versions, newest first: what the transparency portal lists."""

    serializer_class = SavedSerializer
    filterset_fields = ["kind", "symbol"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without touching the data
            return SavedReport.objects.none()
        return selectors.published_reports()
