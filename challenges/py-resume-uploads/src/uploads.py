"""Résumé upload view: streams the file into object storage as a multipart upload."""

import re
from dataclasses import dataclass
from typing import BinaryIO, Protocol

CHUNK_SIZE = 64 * 1024
PDF_MAGIC = b"%PDF-"


class MultipartUpload(Protocol):
    def write(self, chunk: bytes) -> None: ...
    def commit(self) -> None: ...
    def abort(self) -> None: ...


class ObjectStore(Protocol):
    def begin(self, key: str, content_type: str) -> MultipartUpload: ...


@dataclass
class UploadedFile:
    filename: str
    stream: BinaryIO


class UploadTooLarge(Exception):
    pass


def storage_key(candidate_id: str, filename: str) -> str:
    name = re.sub(r"\s+", "_", filename.strip())
    return f"resumes/{candidate_id}/{name}"


class ResumeUploads:
    def __init__(self, store: ObjectStore, max_bytes: int = 5 * 1024 * 1024) -> None:
        self.store = store
        self.max_bytes = max_bytes

    def post(
        self, candidate_id: str, files: dict[str, UploadedFile]
    ) -> tuple[dict[str, object], int]:
        """Flask view for POST /candidates/<candidate_id>/resume."""
        upload_file = files.get("resume")
        if upload_file is None:
            return {"error": "missing_file", "detail": "send the résumé as the 'resume' field"}, 400
        first = upload_file.stream.read(CHUNK_SIZE)
        if not first.startswith(PDF_MAGIC):
            return {"error": "unsupported_type", "detail": "only PDF résumés are accepted"}, 415

        key = storage_key(candidate_id, upload_file.filename)
        try:
            size = self._store(key, first, upload_file.stream)
        except UploadTooLarge:
            limit_mb = self.max_bytes // (1024 * 1024)
            return {"error": "file_too_large", "detail": f"the limit is {limit_mb} MB"}, 400
        except ConnectionError:
            return {"error": "upload_interrupted", "detail": "the connection dropped; retry"}, 400
        return {"key": key, "size": size}, 201

    def _store(self, key: str, first: bytes, stream: BinaryIO) -> int:
        upload = self.store.begin(key, content_type="application/pdf")
        size = 0
        chunk = first
        while chunk:
            size += len(chunk)
            if size > self.max_bytes:
                raise UploadTooLarge(key)
            upload.write(chunk)
            chunk = stream.read(CHUNK_SIZE)
        upload.commit()
        return size
