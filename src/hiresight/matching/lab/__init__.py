"""The offline recommender laboratory: evaluation of recommenders on interaction logs.

The marketplace simulator, the log formats (CSV event logs, JSONL profiles), the baseline item
recommenders, the GRU4Rec sequential model and the comparison that runs them all on one time
split (the ranking metrics are hiresight.ranking). Only the `hiresight recs` CLI, the demo, the
benchmarks and the tests use it; the live recommender (everything else under
`hiresight.matching`) never imports it.
"""
