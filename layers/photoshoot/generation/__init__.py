"""The generation pipeline: charge and create a photoshoot, run it through the ``generation``
state machine (Analyze → BuildPrompt → Map(Render × N) → Finalize, Catch → Fail), report
every step live, refund exactly once on failure, cancel, reconcile, history and results.

Modules (one job each): ``records`` (load and present a Generation), ``create``,
``workflow`` (Step Functions), ``steps`` (what each state does), ``status`` (messages and
pushes), ``eta``, ``refunds``, ``cancel``, ``reconcile``, ``history``, ``results``
(images, URLs, ZIP). Heavy libraries are imported only inside the steps that need them.
"""
