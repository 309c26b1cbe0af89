"""Job matching: retrieval, ranking, experiments and monitoring, as a plain-data library.

Entry points: `recommend.Recommender` (online path), `training.train_once` (continuous
training into a `registry.ModelRegistry`), `experiments`, `drift`, and the `cli.app` Typer
app mounted as `hiresight recs`. Inputs are the dataclasses in `entities`, never ORM rows.
"""
