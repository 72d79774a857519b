"""Domain errors: a small hierarchy, each with a stable machine-readable ``code``.

The HTTP layer maps each class to a status code in one table; the worker uses
``retryable`` to decide between failing a job at once and trying again.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    code: ClassVar[str] = "domain_error"
    retryable: ClassVar[bool] = False

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ValidationFailed(DomainError):
    """Input broke a rule of the domain."""

    code = "validation_error"


class InvalidIsbn(ValidationFailed):
    """The text is not a valid ISBN-10 or ISBN-13."""

    code = "invalid_isbn"


class InvalidVoice(ValidationFailed):
    """The voice is neither a voice type nor a voice id of the chosen engine."""

    code = "invalid_voice"


class InvalidProvider(ValidationFailed):
    """The speech engine named is not one this server has configured."""

    code = "invalid_provider"


class WeakPassword(ValidationFailed):
    """The password does not meet the policy."""

    code = "weak_password"


class InvalidEmail(ValidationFailed):
    """The email address is not usable."""

    code = "invalid_email"


class NotFound(DomainError):
    """Something asked for does not exist (or is not the caller's to see)."""

    code = "not_found"


class BookNotFound(NotFound):
    """No book matches, in the catalogue or at the metadata source."""

    code = "book_not_found"


class ChapterNotFound(NotFound):
    """The book has no chapter with that number."""

    code = "chapter_not_found"


class AudioNotFound(NotFound):
    """The chapter has no stored audio yet."""

    code = "audio_not_found"


class RenditionNotFound(NotFound):
    """The book has no rendition with that id."""

    code = "rendition_not_found"


class JobNotFound(NotFound):
    """No job with that id belongs to the caller."""

    code = "job_not_found"


class Conflict(DomainError):
    """The request clashes with the current state."""

    code = "conflict"


class EmailTaken(Conflict):
    """An account already uses that email."""

    code = "email_taken"


class InvalidJobTransition(Conflict):
    """A job was asked to move to a status its state machine forbids."""

    code = "invalid_job_transition"


class AuthenticationFailed(DomainError):
    """The caller could not be identified."""

    code = "unauthorized"


class InvalidCredentials(AuthenticationFailed):
    """Email or password is wrong."""

    code = "invalid_credentials"


class InvalidToken(AuthenticationFailed):
    """A token is missing, malformed, expired, revoked or of the wrong kind."""

    code = "invalid_token"


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    code = "forbidden"


class RateLimited(DomainError):
    """Too many attempts; ``retry_after_s`` says when to come back."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class BookUnknown(DomainError):
    """The language model does not know the book well enough to outline it."""

    code = "book_unknown"


class NoChapters(DomainError):
    """No chapter list could be made for the book."""

    code = "no_chapters"


class UpstreamError(DomainError):
    """An external service failed in a way retrying will not fix."""

    code = "upstream_error"


class TransientUpstreamError(UpstreamError):
    """An external service timed out, rate-limited us or answered 5xx: retry later."""

    code = "upstream_unavailable"
    retryable = True


class InfrastructureUnavailable(TransientUpstreamError):
    """Our own database or Redis cannot be reached right now (an outage, not a bug).

    Work waits for it to come back instead of spending a job attempt on it.
    """


class JobInterrupted(DomainError):
    """The job was cancelled, or taken over by another attempt, while this attempt ran;
    the attempt stops quietly."""

    code = "job_interrupted"


class EngineRefused(UpstreamError):
    """A speech engine refused this account (bad key, quota used up): another engine may
    speak instead, this one will not until someone acts."""

    code = "engine_refused"


class QuotaExhausted(EngineRefused):
    """The engine's quota or credit for this account is used up."""

    code = "quota_exhausted"


class EngineAuthFailed(EngineRefused):
    """The engine did not accept our credentials."""

    code = "engine_auth_failed"


class ReviewNotFound(NotFound):
    """No such review (or it was deleted)."""

    code = "review_not_found"


class GenreNotFound(NotFound):
    """No such genre in the curated list."""

    code = "genre_not_found"


class ReviewExists(Conflict):
    """The user already reviewed this book; ``details`` names that review."""

    code = "review_exists"


class NotReviewAuthor(Forbidden):
    """Only a review's author may change or delete it."""

    code = "not_review_author"


class InvalidCursor(DomainError):
    """A listing cursor that was tampered with or made for other filters (400)."""

    code = "invalid_cursor"


class UnknownField(DomainError):
    """``fields=`` named a field the listing does not have (400)."""

    code = "unknown_field"


class UploadNotFound(NotFound):
    """No upload with that id belongs to the caller."""

    code = "upload_not_found"


class UploadRefused(DomainError):
    """An uploaded file cannot be made into a book; nothing of it is kept."""

    code = "upload_refused"


class FileTooLarge(UploadRefused):
    """The file is over a size limit (bytes, pages, or an EPUB's uncompressed size)."""

    code = "file_too_large"


class UnsupportedFormat(UploadRefused):
    """The file's bytes are not of a format BookBytes reads."""

    code = "unsupported_format"


class EncryptedFile(UploadRefused):
    """The file is encrypted or DRM-protected."""

    code = "encrypted_file"


class UnreadableFile(UploadRefused):
    """The file claims a format but is corrupt or malformed (or a zip/XML bomb)."""

    code = "unreadable_file"


class NoText(UploadRefused):
    """The file holds no text to speak."""

    code = "no_text"


class AudiobookNotReady(Conflict):
    """The whole-book file is not made yet (its job is still running)."""

    code = "audiobook_not_ready"
