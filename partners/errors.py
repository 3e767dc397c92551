class ApplicationError(Exception):
    """A request the application refuses, with a readable message and optional per-field messages."""

    def __init__(self, message: str, field_errors: dict[str, list[str] | str] | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.field_errors = {k: v if isinstance(v, list) else [v] for k, v in (field_errors or {}).items()}
        self.status = status
