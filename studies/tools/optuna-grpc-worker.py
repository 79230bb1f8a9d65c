"""A Python Optuna worker on a SteerOpt gRPC storage server (GrpcStorageInteropTest).

Usage:
  optuna-grpc-worker.py optimize HOST PORT STUDY N_TRIALS SEED   TPE + MedianPruner trials on the toy objective
  optuna-grpc-worker.py dump HOST PORT STUDY                     prints every trial of the study as JSON
  optuna-grpc-worker.py errors HOST PORT STUDY                   prints which Optuna exception each misuse raises

The toy objective (the Java side runs the same one): a learning curve over 8 steps whose floor is
(x - 1)^2 + 0.1 * layer + offset[method]; each step is reported, and pruned trials stop.
"""
import json
import sys
import warnings

import optuna
from optuna.storages import GrpcStorageProxy

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
OFFSET = {"CAA": 0.0, "DAC": 0.5}


def objective(trial):
    x = trial.suggest_float("x", -3.0, 3.0)
    layer = trial.suggest_int("layer", 0, 5)
    method = trial.suggest_categorical("method", ["CAA", "DAC"])
    floor = (x - 1.0) ** 2 + 0.1 * layer + OFFSET[method]
    value = floor
    for step in range(8):
        value = floor + 2.0 / (step + 1)
        trial.report(value, step)
        if trial.should_prune():
            raise optuna.TrialPruned()
    trial.set_user_attr("worker", "python")
    return value


def trial_json(t):
    return {"number": t.number, "state": t.state.name, "values": t.values,
            "params": t.params, "intermediate": {str(k): v for k, v in t.intermediate_values.items()},
            "user_attrs": t.user_attrs}


def main():
    mode, host, port, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    storage = GrpcStorageProxy(host=host, port=port)
    storage.wait_server_ready(timeout=30)
    if mode == "optimize":
        n_trials, seed = int(sys.argv[5]), int(sys.argv[6])
        study = optuna.create_study(storage=storage, study_name=name, load_if_exists=True,
                                    sampler=optuna.samplers.TPESampler(seed=seed),
                                    pruner=optuna.pruners.MedianPruner(n_startup_trials=3))
        mine = []
        study.optimize(lambda t: (mine.append(t.number), objective(t))[1], n_trials=n_trials)
        print(json.dumps({"numbers": mine}))
    elif mode == "dump":
        study = optuna.load_study(storage=storage, study_name=name)
        print(json.dumps([trial_json(t) for t in study.get_trials()]))
    elif mode == "errors":
        out = {}
        try:
            optuna.create_study(storage=storage, study_name=name)
            out["duplicate"] = "none"
        except optuna.exceptions.DuplicatedStudyError:
            out["duplicate"] = "DuplicatedStudyError"
        try:
            optuna.load_study(storage=storage, study_name=name + "-missing")
            out["unknown"] = "none"
        except KeyError:
            out["unknown"] = "KeyError"
        study = optuna.load_study(storage=storage, study_name=name)
        finished = [t for t in study.get_trials() if t.state.is_finished()][0]
        try:
            storage.set_trial_user_attr(finished._trial_id, "late", 1)
            out["finished"] = "none"
        except optuna.exceptions.UpdateFinishedTrialError:
            out["finished"] = "UpdateFinishedTrialError"
        try:
            storage.set_trial_state_values(finished._trial_id, optuna.trial.TrialState.COMPLETE, [0.0])
            out["finished_state"] = "none"
        except optuna.exceptions.UpdateFinishedTrialError:
            out["finished_state"] = "UpdateFinishedTrialError"
        print(json.dumps(out))
    elif mode == "write":
        # one write on a (read-only) server: prints the gRPC status code it got
        import grpc
        try:
            optuna.create_study(storage=storage, study_name=name)
            print(json.dumps({"write": "OK"}))
        except grpc.RpcError as e:
            print(json.dumps({"write": e.code().name, "details": e.details()}))


main()
