"""Course completions from LMSs: sources and their tokens, learner matching, the push API.

The file import of completions is the `completions` kind of `learning_units.imports`; it and
the API share the learner matching (`matching`) and the row rules (`rows`).
"""
