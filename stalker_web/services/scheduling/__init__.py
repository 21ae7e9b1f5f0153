"""Scheduling with TaskJuggler (Debian's tj3), run as a subprocess.

One run goes: ``runs.request_run`` takes the studio's lock (one active run per studio) and
records a queued ``ScheduleRun``; a worker (or the CLI) calls ``runs.execute_run``, which reads
the studio (``snapshot``), checks and adjusts what tj3 would refuse (``checks``), renders the
.tjp (``tjp``), runs tj3 with a timeout (``runner``), reads its messages (``messages``) and CSV
report (``results``) and writes the computed dates and resources of the tasks in scope in one
transaction (``writer``). Any failure leaves the schedule as it was and says why on the run.
"""
