import numpy as np

from recommend import recommend


def test_co_engaged_job_comes_first() -> None:
    # Users 1 and 2 both engaged with jobs 10 and 20; user 3 only with 10: 20 is next for 3.
    users = np.array([1, 1, 2, 2, 3, 4])
    jobs = np.array([10, 20, 10, 20, 10, 30])
    times = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    weights = np.ones(6)
    ranked = recommend(users, jobs, times, weights, [3], k=2)
    assert ranked[3][0] == 20
    assert 10 not in ranked[3]


def test_new_user_gets_recent_popular_jobs() -> None:
    users = np.array([1, 2, 3])
    jobs = np.array([10, 20, 20])
    times = np.array([0.0, 1.0, 2.0])
    ranked = recommend(users, jobs, times, np.ones(3), [99], k=1)
    assert ranked[99] == [20]
