"""Typed shapes of a stage attempt's JSON columns, one set per stage kind.

`StageAttempt` keeps five JSON columns: `content` (what the candidate sees), `private` (what only
the server keeps: answer keys, rubric material, the challenge id), `draft` and `answer` (the
candidate's own work) and `result` (the grade and practice feedback). Callers read and write
them through `attempt_data.columns`, never by string keys, and every read and write validates.
The models are in `stored` (content, private, result) and `answers` (draft and answer).

The stored JSON keeps the shape earlier code wrote: models are dumped without the keys a row
never had (`exclude_unset`), optional keys old rows lack have defaults, so no migration is
needed. A row that does not validate raises `AttemptDataError` (code `attempt_data_invalid`).
Drafts and answers belong to the candidate's client: keys the stage does not read are kept as
they were sent, and the stored dict is exactly the one sent once it has validated.
"""
