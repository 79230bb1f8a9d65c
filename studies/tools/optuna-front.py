#!/usr/bin/env python3
"""Reads a SteerOpt study with Python Optuna and prints what Optuna sees as JSON on stdout.

usage: optuna-front.py STORAGE_URL STUDY_NAME

Prints {"directions": [...], "best_trials": [{"number", "values", "params"}], "n_trials": N}; used by
MultiObjectiveEndToEndTest to check that Optuna's load_study reads our multi-objective study and its Pareto front.
"""
import json
import sys

import optuna


def main() -> None:
    url, name = sys.argv[1], sys.argv[2]
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(study_name=name, storage=url)
    out = {
        "optuna": optuna.__version__,
        "directions": [d.name for d in study.directions],
        "n_trials": len(study.trials),
        "best_trials": [
            {"number": t.number, "values": t.values, "params": t.params}
            for t in sorted(study.best_trials, key=lambda t: t.number)
        ],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
