"""The one error domain services raise: a stable code and a sentence a person can act on."""

from __future__ import annotations


class DomainError(Exception):
    """A refused action. ``code`` is stable (``filing.wrong_state``, ``role.required``); the web and
    API layers map ``org.not_member`` to 404 and the rest to a problem response carrying the code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}
