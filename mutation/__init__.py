"""Mutation testing of carebot's care rules: are the tests strong enough to notice a wrong
rule? A small AST mutator of our own (`mutants.py`) makes one small change at a time to a
rule module (a flipped comparison, `and` for `or`, a dropped `not`, a number off by one, a
call left out, ...); `run.py` runs the tests that cover that module against each change,
in a copy of the checkout, and counts the changes they notice ("killed"). The modules and
their tests are listed in one place, `targets.py`.

    make mutation                      # every target, one module at a time
    python -m mutation.run care/suppression.py --list   # its mutants, without running

It is not part of `make test`: a whole campaign takes about 20 minutes on 2 cores. It is
our own rather than mutmut so that it never writes into the checkout others are working
in, and follows carebot/'s links to the top-level folders; it is small enough to read.
"""
