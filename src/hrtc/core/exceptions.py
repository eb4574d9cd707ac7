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
