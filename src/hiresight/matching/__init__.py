"""Job matching: retrieval, ranking, experiments and monitoring, as a plain-data library.

Entry points: `recommend.Recommender` (online path), `training.train_once` (continuous
training into a `registry.ModelRegistry`), `experiments`, `drift`, and the `cli.app` Typer
app mounted as `hiresight recs`. Inputs are the dataclasses in `entities`, never ORM rows.
The offline laboratory (simulator, log formats, baselines, metrics, comparison) lives in `lab`,
which only the CLI, the demo, the benchmarks and the tests import.
"""
