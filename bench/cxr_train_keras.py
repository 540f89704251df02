"""The Keras side of bench/cxr-train.mjs (make bench-train): trains the exercise CNN on the exact arrays
radlab prepared (written as .npy by the .mjs), with the same architecture, optimiser, batch size and
epochs, and writes what it measured as JSON.

usage: cxr_train_keras.py DATA_DIR SEED EPOCHS THREADS OUT.json
       cxr_train_keras.py --convert NPZ VALIDATION_SPLIT DATA_DIR

--convert (DATA=pneumoniamnist): writes a MedMNIST .npz (train_images [n, h, w] uint8, train_labels
[n, 1], and val_ / test_) as the same files, x / 255 as float32 [n, h, w, 1], labels float32 [n, 1]:
the train split as train_*, VALIDATION_SPLIT ("val" or "test") as validation_*.

DATA_DIR holds train_x.npy [n, h, w, 1] float32 (64 x 64 as radlab prepared nih1000; 28 x 28 from
--convert), train_y.npy [n, 1], validation_x.npy, validation_y.npy and data.json (the sha256 of each
array's bytes, to check that the arrays are the ones radlab trained on). Network: Conv2D 32 3x3
ReLU, MaxPool 2, Conv2D 64 3x3 ReLU, MaxPool 2, Flatten, Dense 128 ReLU, Dropout 0.5, Dense 1
sigmoid (Glorot uniform, zero biases: Keras's and tfjs's defaults); Adam (lr 0.001), binary
cross-entropy, batch 32, the training images shuffled each epoch, validation after each epoch, no early
stopping. TensorFlow runs its ops on THREADS threads (intra-op) and one inter-op thread, as radlab's
wasm backend runs XNNPACK on THREADS threads.
Keras 3 does not use XLA on a CPU-only machine (jit_compile "auto"), so this is TensorFlow's
graph mode with its oneDNN kernels.
"""
import hashlib
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402


def auc_numpy(truth, scores):
    """ROC AUC as the Mann-Whitney statistic, ties counted half (average ranks)."""
    truth = np.asarray(truth).astype(bool)
    scores = np.asarray(scores, dtype=np.float64)
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores), dtype=np.float64)
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = int(truth.sum())
    negatives = len(truth) - positives
    return float((ranks[truth].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def roc_auc(truth, scores):
    try:
        from sklearn.metrics import roc_auc_score
    except ImportError:
        return auc_numpy(truth, scores), "numpy (Mann-Whitney)"
    return float(roc_auc_score(truth, scores)), "sklearn roc_auc_score"


def build_model(input_shape):
    return keras.Sequential(
        [
            keras.Input(input_shape),
            keras.layers.Conv2D(32, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(1, activation="sigmoid"),
        ],
        name="exercise_cnn",
    )


class EpochTimes(keras.callbacks.Callback):
    """Wall and CPU seconds of each epoch (training and validation), and the best epoch's weights."""

    def __init__(self):
        super().__init__()
        self.epochs = []
        self.best = None

    def on_epoch_begin(self, epoch, logs=None):
        self.wall = time.perf_counter()
        self.cpu = time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        wall = time.perf_counter() - self.wall
        cpu = time.process_time() - self.cpu
        logs = {k: float(v) for k, v in (logs or {}).items()}
        self.epochs.append({"epoch": epoch + 1, "seconds": wall, "cpuSeconds": cpu, "logs": logs})
        # As radlab's trainModel: the best epoch is the one with the lowest validation loss.
        if self.best is None or logs["val_loss"] < self.best[1]:
            self.best = (epoch + 1, logs["val_loss"], [w.copy() for w in self.model.get_weights()])


def convert(npz, validation_split, data_dir):
    """Writes a MedMNIST .npz's train split and VALIDATION_SPLIT as the .npy files main() reads."""
    d = np.load(npz)
    sha256 = {}
    for name, split in (("train", "train"), ("validation", validation_split)):
        x = (d[f"{split}_images"].astype(np.float32) / np.float32(255))[..., np.newaxis]
        y = d[f"{split}_labels"].astype(np.float32).reshape(-1, 1)
        for suffix, array in (("x", x), ("y", y)):
            array = np.ascontiguousarray(array, dtype="<f4")
            np.save(os.path.join(data_dir, f"{name}_{suffix}.npy"), array)
            sha256[f"{name}_{suffix}"] = hashlib.sha256(array.tobytes()).hexdigest()
    with open(os.path.join(data_dir, "data.json"), "w") as f:
        json.dump({"source": os.path.abspath(npz), "validationSplit": validation_split, "sha256": sha256}, f)


def main():
    if sys.argv[1] == "--convert":
        convert(*sys.argv[2:5])
        return
    data_dir, seed, epochs, threads, out = sys.argv[1:6]
    seed, epochs, threads = int(seed), int(epochs), int(threads)
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    keras.utils.set_random_seed(seed)

    names = ("train_x", "train_y", "validation_x", "validation_y")
    arrays = {name: np.load(os.path.join(data_dir, f"{name}.npy")) for name in names}
    with open(os.path.join(data_dir, "data.json")) as f:
        expected = json.load(f)["sha256"]
    for name, array in arrays.items():
        digest = hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()
        if digest != expected[name]:
            raise SystemExit(f"{name}.npy is not what radlab wrote: sha256 {digest}, not {expected[name]}")
    xs, ys = arrays["train_x"], arrays["train_y"]
    vxs, vys = arrays["validation_x"], arrays["validation_y"]

    model = build_model(xs.shape[1:])
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="binary_crossentropy", metrics=["accuracy"]
    )
    timer = EpochTimes()
    wall, cpu = time.perf_counter(), time.process_time()
    model.fit(
        xs,
        ys,
        batch_size=32,
        epochs=epochs,
        shuffle=True,
        validation_data=(vxs, vys),
        callbacks=[timer],
        verbose=0,
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu

    truth = vys[:, 0] > 0.5
    last = model.predict(vxs, batch_size=256, verbose=0)[:, 0]
    best_epoch, _, best_weights = timer.best
    model.set_weights(best_weights)
    best = model.predict(vxs, batch_size=256, verbose=0)[:, 0]
    last_auc, auc_method = roc_auc(truth, last)
    best_auc, _ = roc_auc(truth, best)
    n = len(xs)
    later = timer.epochs[1:]
    result = {
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "seed": seed,
        "threads": {"intraOp": threads, "interOp": 1},
        "jitCompile": bool(getattr(model, "jit_compile", False)),
        "trainImages": n,
        "validationImages": len(vxs),
        "seconds": wall,
        "cpuSeconds": cpu,
        "imagesPerSecond": n * epochs / wall,
        "imagesPerSecondAfterFirst": n * len(later) / sum(e["seconds"] for e in later) if later else None,
        "epochs": timer.epochs,
        "aucMethod": auc_method,
        "last": {
            "epoch": epochs,
            "accuracy": float(np.mean((last >= 0.5) == truth)),
            "auc": last_auc,
            "probabilities": last.astype(float).tolist(),
        },
        "best": {
            "epoch": best_epoch,
            "accuracy": float(np.mean((best >= 0.5) == truth)),
            "auc": best_auc,
            "probabilities": best.astype(float).tolist(),
        },
    }
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
