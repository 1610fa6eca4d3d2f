"""State-changing actions of the assessments app, one module per concern.

`criteria` (criteria sets), `self_assessment` (start, answers, submit), `evidence`, `review`
(verify, return, reject, the role rules applied) and `recognition` (decisions, revocation).
The transitions themselves are the pure `assessments.workflow`. Import from the module.
"""
