"""Writes a mixed-space study with Python Optuna into SQLite and prints Optuna's own importances as JSON.

Usage: optuna-importance.py DB_PATH STUDY_NAME N_TRIALS

Used by ImportanceOptunaParityTest: the Java side reads the same database and compares. The objective gives the
parameters clearly different weights (x >> lr > layer > method > unused), so the rankings are meaningful.
"""
import json
import math
import sys
import warnings

import optuna
from optuna.importance import FanovaImportanceEvaluator, PedAnovaImportanceEvaluator, get_param_importances

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)

db, name, n_trials = sys.argv[1], sys.argv[2], int(sys.argv[3])
OFFSET = {"CAA": 0.0, "DAC": 3.0, "ITI": 1.0}


def objective(trial):
    x = trial.suggest_float("x", -5.0, 5.0)
    lr = trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    layer = trial.suggest_int("layer", 0, 23)
    method = trial.suggest_categorical("method", ["CAA", "DAC", "ITI"])
    trial.suggest_int("unused", 0, 9)
    return 2.0 * abs(x) + 0.8 * (math.log10(lr) + 3.0) ** 2 + 0.15 * abs(layer - 12) + OFFSET[method]


study = optuna.create_study(storage=f"sqlite:///{db}", study_name=name,
                            sampler=optuna.samplers.RandomSampler(seed=7))
study.optimize(objective, n_trials=n_trials)

out = {
    "ped_anova": get_param_importances(study, evaluator=PedAnovaImportanceEvaluator()),
    "ped_anova_raw": get_param_importances(study, evaluator=PedAnovaImportanceEvaluator(), normalize=False),
    "fanova_seeds": [get_param_importances(study, evaluator=FanovaImportanceEvaluator(seed=s)) for s in range(10)],
}
print(json.dumps(out))
