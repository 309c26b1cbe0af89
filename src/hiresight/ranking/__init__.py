"""Top-k ranking metrics, shared by the recommender's evaluation and take-home grading."""
