"""Known answers for STAR detection: labelled and unlabelled stories, and non-stories."""

from __future__ import annotations

from hiresight.scoring import star

UNLABELLED = (
    "Last year on the payments team, Priya wanted to move our reconciliation job to a streaming "
    "design, and I thought the nightly batch was safer. My job was to decide before the audit "
    "in two weeks. I suggested we spend two days on a spike measuring both. We replayed a week "
    "of production traffic through each. In the end we chose streaming for card flows only."
)


def test_labelled_story_across_paragraphs() -> None:
    """A label applies to its sentence and the following ones until the next label."""
    story = (
        "Situation: our checkout API timed out during a sale. It was our busiest day.\n\n"
        "Task: I had to bring p95 under 300 ms.\n\n"
        "Action: I profiled the handlers. I added an index.\n\n"
        "Result: p95 fell to 210 ms."
    )
    parts = [s.part for s in star.segments(story)]
    assert parts == ["situation", "situation", "task", "action", "action", "result"]
    assert all(star.present(story).values())


def test_unlabelled_story_in_first_person() -> None:
    """Scene, duty, actions and outcome are found without labels."""
    parts = [s.part for s in star.segments(UNLABELLED)]
    assert parts == ["situation", "task", "action", "action", "result"]


def test_at_my_previous_job_is_a_scene_not_a_task() -> None:
    """ "At my previous job" sets a scene; "My task was" names the duty."""
    story = "At my previous job the deploys kept failing. My task was to fix the pipeline."
    assert [s.part for s in star.segments(story)] == ["situation", "task"]


def test_habits_and_beliefs_tell_no_part() -> None:
    """An answer of habits and platitudes has no STAR structure, whatever words it uses."""
    answer = (
        "I always take ownership and I work hard. I believe communication is key and I make "
        "sure everyone is aligned. In any situation I would listen first and find a solution."
    )
    assert not any(star.present(answer).values())


def test_evasive_answer_tells_no_part() -> None:
    """ "I don't really have disagreements" is not a situation."""
    answer = "I don't really have disagreements. I just do what the manager says."
    assert not any(star.present(answer).values())


def test_result_cues_include_labels_and_percentages() -> None:
    """An explicit "Result:" label or a percentage that moved tells a result."""
    assert star.present("Result: the queue never stalled again.")["result"]
    assert star.present("Orders grew 40% that quarter.")["result"]
    assert not star.present("We talked about it for a while.")["result"]
