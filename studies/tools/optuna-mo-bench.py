#!/usr/bin/env python3
"""Optuna's side of `steeropt bench-sampler --multi-objective`: NSGAIISampler and TPESampler (Optuna's defaults,
seeded) on ZDT1 (30 variables) and steer_mo, both objectives minimised, hypervolume after N trials.

usage: optuna-mo-bench.py N_TRIALS N_SEEDS > optuna.json

The problems and reference points are those of dev.steeropt.optimizer.bench.MultiObjectiveBenchmark.Problems; the
hypervolume is computed here the same way (2-D sweep over the points strictly inside the reference box), and the
result is cross-checked against optuna's own hypervolume routine.
"""
import json
import math
import os
import sys
import time

import optuna
from optuna._hypervolume import compute_hypervolume
import numpy as np

ZDT1_DIM = 30
METHODS = ["CAA", "DAC"]
REFERENCE = {"zdt1": (1.1, 11.0), "steer_mo": (0.0, 130.0)}


def zdt1(trial):
    x = [trial.suggest_float(f"x{i}", 0, 1) for i in range(ZDT1_DIM)]
    g = 1 + 9 * sum(x[1:]) / (ZDT1_DIM - 1)
    return x[0], g * (1 - math.sqrt(x[0] / g))


def steer_mo(trial):
    layer = trial.suggest_int("layer", 0, 23)
    alpha = trial.suggest_float("alpha", -4, 4)
    dac = trial.suggest_categorical("method", METHODS) == "DAC"
    temperature = trial.suggest_float("temperature", 0, 1)
    l0, w = (9, 3) if dac else (13, 4)
    z = (layer - l0) / w
    g = math.exp(-0.5 * z * z)
    s = 1 / (1 + math.exp(-(1.5 * alpha * g - 1)))
    tokens = 20 + 90 * s + 10 * temperature
    accuracy = (0.1 + 0.8 * s ** (1.5 - g)) * (1 - 0.5 * temperature ** 2) * (1.0 if dac else 0.95)
    return -accuracy, tokens


PROBLEMS = {"zdt1": zdt1, "steer_mo": steer_mo}


def hypervolume(points, ref):
    inside = sorted(p for p in points if p[0] < ref[0] and p[1] < ref[1])
    area, best = 0.0, ref[1]
    for f1, f2 in inside:
        if f2 < best:
            area += (ref[0] - f1) * (best - f2)
            best = f2
    return area


def main():
    n_trials, n_seeds = int(sys.argv[1]), int(sys.argv[2])
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    samplers = {
        "optuna_nsga2": lambda s: optuna.samplers.NSGAIISampler(seed=s),
        "optuna_tpe": lambda s: optuna.samplers.TPESampler(seed=s),
    }
    results = []
    t0 = time.time()
    for name, make in samplers.items():
        for problem, fn in PROBLEMS.items():
            c0 = time.time()
            hvs = []
            for seed in range(n_seeds):
                study = optuna.create_study(directions=["minimize", "minimize"], sampler=make(seed))
                study.optimize(fn, n_trials=n_trials)
                pts = [tuple(t.values) for t in study.trials if t.values is not None]
                hv = hypervolume(pts, REFERENCE[problem])
                inside = np.array([p for p in pts if p[0] < REFERENCE[problem][0] and p[1] < REFERENCE[problem][1]])
                if len(inside):
                    theirs = compute_hypervolume(inside, np.array(REFERENCE[problem]))
                    assert abs(theirs - hv) <= 1e-9 * max(1.0, hv), (theirs, hv)
                hvs.append(hv)
            results.append({"sampler": name, "problem": problem, "hypervolume_per_seed": hvs,
                            "seconds": time.time() - c0})
    json.dump({"schema": "steeropt-mo-bench/v1",
               "meta": {"source": "optuna", "optuna": optuna.__version__, "n_trials": n_trials,
                        "seeds": list(range(n_seeds)), "elapsed_s": time.time() - t0,
                        "load_average_at_start": os.getloadavg()[0]},
               "problems": {p: {"reference_point": list(r)} for p, r in REFERENCE.items()},
               "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
