"""Domain errors. Services raise these; one API exception handler maps them to HTTP."""


class DomainError(Exception):
    """A rule of the domain refused the operation. `status` is the HTTP status the API answers."""

    status = 422
    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The operation is not allowed in the record's current state (e.g. an illegal transition)."""

    status = 409
    code = "conflict"


class InvalidInput(DomainError):
    status = 422
    code = "invalid"


class ImportRefused(DomainError):
    """A file was refused as a whole; nothing was written. The message names file, row and field."""

    status = 422
    code = "import_refused"


class ImportRowError(Exception):
    """A bad row: names the file, the row (1-based, header = row 1) and the field, and why. Importers raise
    it while reading; the import service turns it into `ImportRefused` and writes nothing."""

    def __init__(self, file: str, row: int | None, field: str | None, reason: str):
        self.file, self.row, self.field, self.reason = file, row, field, reason
        where = file + (f", row {row}" if row is not None else "") + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {reason}")
