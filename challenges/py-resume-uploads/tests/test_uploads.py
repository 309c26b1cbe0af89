"""Hidden tests for the résumé upload view."""

import io

from uploads import ResumeUploads, UploadedFile


class FakeUpload:
    def __init__(self, store, key):
        self.store, self.key, self.parts, self.state = store, key, [], "open"

    def write(self, chunk):
        assert self.state == "open"
        self.parts.append(chunk)

    def commit(self):
        self.state = "committed"
        self.store.objects[self.key] = b"".join(self.parts)

    def abort(self):
        self.state = "aborted"


class FakeStore:
    def __init__(self):
        self.uploads, self.objects = [], {}

    def begin(self, key, content_type):
        upload = FakeUpload(self, key)
        self.uploads.append(upload)
        return upload

    def pending(self):
        return [u.key for u in self.uploads if u.state == "open"]


class DroppingStream(io.BytesIO):
    def __init__(self, data, fail_after):
        super().__init__(data)
        self.reads, self.fail_after = 0, fail_after

    def read(self, size=-1):
        self.reads += 1
        if self.reads > self.fail_after:
            raise ConnectionResetError("client went away")
        return super().read(size)


def pdf(size):
    return b"%PDF-1.7\n" + b"x" * (size - 9)


def post(view, data, filename="cv.pdf", candidate="cand-42"):
    return view.post(candidate, {"resume": UploadedFile(filename, io.BytesIO(data))})


def test_small_pdf_is_stored():
    store = FakeStore()
    body, status = post(ResumeUploads(store), pdf(1000))
    assert status == 201
    assert body == {"key": "resumes/cand-42/cv.pdf", "size": 1000}
    assert store.objects["resumes/cand-42/cv.pdf"] == pdf(1000)


def test_non_pdf_is_rejected_before_storage():
    store = FakeStore()
    _, status = post(ResumeUploads(store), b"PK\x03\x04 docx bytes")
    assert status == 415 and store.uploads == []


def test_parent_directory_segments_are_stripped():
    body, status = post(
        ResumeUploads(FakeStore()), pdf(100), filename="../../billing/invoice-2024.pdf"
    )
    assert status == 201
    assert body["key"].startswith("resumes/cand-42/")
    assert ".." not in body["key"] and body["key"].count("/") == 2
    assert body["key"].endswith("invoice-2024.pdf")


def test_windows_client_path_keeps_only_file_name():
    body, _ = post(ResumeUploads(FakeStore()), pdf(100), filename="C:\\Users\\ana\\My CV.pdf")
    key = body["key"]
    assert key.startswith("resumes/cand-42/") and key.count("/") == 2
    assert "\\" not in key and key.endswith("CV.pdf")


def test_oversized_file_gets_413():
    body, status = post(ResumeUploads(FakeStore(), max_bytes=200_000), pdf(500_000))
    assert status == 413
    assert body["error"] == "file_too_large"


def test_file_one_byte_over_limit_gets_413():
    _, status = post(ResumeUploads(FakeStore(), max_bytes=100_000), pdf(100_001))
    assert status == 413


def test_file_exactly_at_limit_is_accepted():
    _, status = post(ResumeUploads(FakeStore(), max_bytes=100_000), pdf(100_000))
    assert status == 201


def test_rejected_upload_is_aborted():
    store = FakeStore()
    post(ResumeUploads(store, max_bytes=150_000), pdf(400_000))
    assert len(store.uploads) == 1
    assert store.pending() == [] and store.objects == {}


def test_dropped_connection_aborts_upload():
    store = FakeStore()
    stream = DroppingStream(pdf(300_000), fail_after=2)
    body, status = ResumeUploads(store).post("cand-7", {"resume": UploadedFile("cv.pdf", stream)})
    assert status == 400 and body["error"] == "upload_interrupted"
    assert store.pending() == []
    assert [u.state for u in store.uploads] == ["aborted"]
