"""Reading a predictions file: every contract breach is a problem with a stable code."""

from __future__ import annotations

from hiresight.takehome.predictions import parse_predictions

USERS = {1, 2, 3}


def codes(data: bytes) -> tuple[list[str], list[str]]:
    parsed = parse_predictions(data, USERS, k=3)
    return [p.code for p in parsed.malformed], [p.code for p in parsed.invalid]


def test_a_valid_file_is_ranked_by_rank_not_by_row_order() -> None:
    parsed = parse_predictions(b"user_id,job_id,rank\n1,20,2\n1,10,1\n2,30,1\n", USERS, k=3)
    assert parsed.ranked == {1: [10, 20], 2: [30]}
    assert parsed.rows == 3
    assert not parsed.malformed
    assert not parsed.invalid


def test_a_rank_gap_stays_a_gap() -> None:
    parsed = parse_predictions(b"user_id,job_id,rank\n1,10,3\n", USERS, k=3)
    assert parsed.ranked == {1: [-1, -1, 10]}


def test_header_with_spaces_and_bom_is_accepted() -> None:
    assert codes("\ufeffuser_id, job_id ,rank\n1,2,1\n".encode()) == ([], [])


def test_malformed_files() -> None:
    assert codes(b"") == (["empty_output"], [])
    assert codes(b"\xff\xfe") == (["not_utf8"], [])
    assert codes(b"user,item\n1,2\n") == (["bad_header"], [])
    assert codes(b"user_id,job_id,rank\n1,x,1\n1,2\n") == (["bad_rows"], [])
    assert codes(b"user_id,job_id,rank\n1,2,0\n1,3,4\n") == (["bad_rank"], [])


def test_unknown_users_and_duplicates() -> None:
    assert codes(b"user_id,job_id,rank\n99,2,1\n") == ([], ["unknown_users"])
    assert codes(b"user_id,job_id,rank\n1,2,1\n1,2,2\n") == ([], ["duplicate_predictions"])
    assert codes(b"user_id,job_id,rank\n1,2,1\n1,3,1\n") == ([], ["duplicate_ranks"])


def test_messages_show_a_few_examples() -> None:
    rows = "".join(f"{u},1,1\n" for u in range(100, 120))
    parsed = parse_predictions(f"user_id,job_id,rank\n{rows}".encode(), USERS, k=3)
    message = parsed.invalid[0].message
    assert message.startswith("20 user id(s) are not test users: 100, 101, 102, 103, 104")
    assert message.endswith("and 15 more")
