"""A minimal Learning Record Store (xAPI) for LMSs that push course completions (issue #20).

`validation` reads one statement (pure, no queries), `services` stores a batch and turns the
course completions among them into completions or pending ones, `views` is the HTTP side
(`/xapi/statements`, `/xapi/about`). How to point Moodle and Open edX at it: docs/lms.md.
"""
