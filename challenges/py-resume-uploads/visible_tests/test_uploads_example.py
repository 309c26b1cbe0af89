"""Example test the candidate may run."""

import io

from uploads import ResumeUploads, UploadedFile


class MemoryStore:
    def __init__(self):
        self.objects = {}

    def begin(self, key, content_type):
        store, parts = self, []

        class Upload:
            def write(self, chunk):
                parts.append(chunk)

            def commit(self):
                store.objects[key] = b"".join(parts)

            def abort(self):
                parts.clear()

        return Upload()


def test_pdf_upload_is_committed_under_candidate_prefix():
    store = MemoryStore()
    _, status = ResumeUploads(store).post(
        "cand-1", {"resume": UploadedFile("resume.pdf", io.BytesIO(b"%PDF-1.4 hello"))}
    )
    assert status == 201
    assert store.objects == {"resumes/cand-1/resume.pdf": b"%PDF-1.4 hello"}
