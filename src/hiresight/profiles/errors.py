"""Errors a résumé upload can cause, each with a stable code the API maps to a 4xx answer."""

from __future__ import annotations

from hiresight.errors import AppError


class ResumeError(AppError):
    """A résumé the parser refuses; `code` is stable, `message` is for the candidate."""

    status_code = 422
    code = "resume_invalid"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    default_message = "This résumé could not be read."


class ResumeEmptyError(ResumeError):
    """The upload has no bytes, or only whitespace."""

    code = "resume_empty"
    default_message = "The file is empty."


class ResumeTooLargeError(ResumeError):
    """The upload is over the size limit."""

    status_code = 413
    code = "resume_too_large"
    default_message = "The file is larger than 10 MB; upload a smaller export."


class ResumeUnsupportedTypeError(ResumeError):
    """The content is none of PDF, DOCX, plain text or Markdown."""

    status_code = 415
    code = "resume_unsupported_type"
    default_message = "Unsupported file type: upload a PDF, DOCX, TXT or Markdown file."


class ResumeTypeMismatchError(ResumeError):
    """The file name's extension contradicts what the content is."""

    status_code = 415
    code = "resume_type_mismatch"
    default_message = "The file's extension does not match its content."


class ResumeEncryptedError(ResumeError):
    """A password-protected PDF."""

    code = "resume_encrypted"
    default_message = "The PDF is password-protected; remove the password and upload it again."


class ResumeCorruptError(ResumeError):
    """A PDF or DOCX whose structure cannot be parsed."""

    code = "resume_corrupt"
    default_message = "The file is damaged and could not be read; export it again."


class ResumeNoTextError(ResumeError):
    """A PDF without a text layer, e.g. a scan."""

    code = "resume_no_text"
    default_message = "The PDF has no text layer — export from your editor or upload DOCX/TXT."


class ResumeArchiveTooLargeError(ResumeError):
    """A DOCX whose archive would expand too much (a zip bomb or an oversized document)."""

    status_code = 413
    code = "resume_archive_too_large"
    default_message = "The DOCX expands to more than we accept; save a smaller document."


class ResumeBadEncodingError(ResumeError):
    """A text file that is neither UTF-8, UTF-16 with a BOM, nor clearly Latin (cp1252) text."""

    code = "resume_bad_encoding"
    default_message = "The text file's encoding is not recognised; save it as UTF-8."


class ResumeNoSectionsError(ResumeError):
    """Text with none of the sections a résumé has (experience, education, skills, ...)."""

    code = "resume_no_sections"
    default_message = (
        "No résumé sections were found (such as Experience, Education or Skills); "
        "add section headings and upload again."
    )


class ResumeTooComplexError(ResumeError):
    """A file past a parsing limit: too many pages, characters, layout objects or paragraphs,
    or more CPU time, memory or wall-clock time than a parse may take."""

    code = "resume_too_complex"
    default_message = (
        "This file is too complex to read (too many pages, objects or paragraphs, or it took "
        "too long); export a simpler PDF, or upload DOCX or plain text."
    )
