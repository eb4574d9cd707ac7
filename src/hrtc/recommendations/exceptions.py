from hrtc.core.exceptions import DomainError, InvalidInput


class ImportRefused(DomainError):
    """A file was refused as a whole; nothing was written. The message names file, row and field."""

    status = 422
    code = "import_refused"


class AssessmentInvalid(InvalidInput):
    pass
