"""What-if scenarios: a producer's copy-on-write change set over the whole studio's live plan.

``overlay`` lays a scenario's temporary people and task overrides over the live snapshot,
``fingerprint`` sums up the live data a scenario was scheduled on, ``runs`` asks for a run of a
scenario (carried out by ``scheduling.runs.execute_run``, which writes the results through
``results``), ``editing``, ``compare`` and ``promote`` are what the pages use. Nothing here
writes live rows except promoting, and nothing here commits: the callers do.
"""
