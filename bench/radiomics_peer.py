"""The pyradiomics side of the radiomics benchmark: pyradiomics' default feature set on one image/mask.

Computes the "Original" image type with every default feature class (shape, firstorder, glcm, glrlm,
glszm, gldm, ngtdm: 107 features with pyradiomics' default settings) and prints one JSON document:
feature values (names without pyradiomics' "original_" prefix, e.g. "glcm_JointEnergy"), wall times
per repeat of the extraction alone and including reading the files, per-class times, and the
settings used. pyradiomics' C kernels are single-threaded; SimpleITK's filters (the mask checks and
crops pyradiomics runs on the full image) use SimpleITK's global thread count, set by --threads
(default: SimpleITK's own default, the number of cores). class_seconds["none"] is an extraction
with no feature class enabled: the mask loading/checking/cropping that every run also pays.
class_compute_seconds is measured inside the full extraction: per class, the time of constructing
pyradiomics' feature class object (discretisation, texture matrices) plus its execute() (features),
without that shared overhead.

Usage:
  python bench/radiomics_peer.py --image X --mask Y [--label 1] [--bin-width 25] [--repeat N]
                                 [--voxel-array-shift 0] [--threads N] [--no-class-times]
                                 [--json out.json]
  python bench/radiomics_peer.py --check-baseline DATA_DIR [--case brain1 --case breast1]

--check-baseline recomputes pyradiomics' own baseline (DATA_DIR/baseline/baseline_<class>.csv, with
the settings stored in its diagnostics_Configuration_Settings row) and prints the largest relative
difference per feature class, and every feature whose relative difference exceeds --tolerance.

Install: bench/requirements-radiomics.txt (pyradiomics 3.0.1 built from its sdist; see there).
"""

import argparse
import ast
import csv
import json
import logging
import math
import os
import statistics
import sys
import time
from importlib.metadata import version

import numpy
import SimpleITK as sitk

import radiomics
from radiomics import featureextractor

# pyradiomics' default feature classes (RadiomicsFeatureExtractor() enables all but shape2D).
DEFAULT_CLASSES = ("shape", "firstorder", "glcm", "glrlm", "glszm", "gldm", "ngtdm")
PREFIX = "original_"
# Environment variables that change numpy's/OpenBLAS' kernels or threads: recorded with the timings.
THREAD_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS")


# Seconds spent in each feature class during the current extraction (see instrument_feature_classes).
_class_clock: dict = {}


def instrument_feature_classes() -> None:
    """Replaces pyradiomics' feature classes (in the registry its extractor looks them up in) with
    subclasses that add the time of their construction (discretisation, matrix calculation) and of
    execute() (the features) to _class_clock. Costs two perf_counter calls per class and run."""
    registry = radiomics.getFeatureClasses()
    for name, cls in list(registry.items()):
        if getattr(cls, "_peer_timed", False):
            continue

        def timed(name=name, cls=cls):
            class Timed(cls):
                _peer_timed = True

                def __init__(self, *args, **kwargs):
                    started = time.perf_counter()
                    super().__init__(*args, **kwargs)
                    _class_clock[name] = _class_clock.get(name, 0.0) + time.perf_counter() - started

                def execute(self):
                    started = time.perf_counter()
                    result = super().execute()
                    _class_clock[name] = _class_clock.get(name, 0.0) + time.perf_counter() - started
                    return result

            Timed.__name__ = Timed.__qualname__ = cls.__name__
            Timed.__module__ = cls.__module__  # pyradiomics names its loggers after the class
            return Timed

        registry[name] = timed()


def quiet_pyradiomics() -> None:
    """Keep pyradiomics' log handler to errors so stdout/stderr carry only the JSON and real problems."""
    radiomics.setVerbosity(logging.ERROR)
    logging.getLogger("radiomics").setLevel(logging.ERROR)


def make_extractor(settings: dict, classes) -> featureextractor.RadiomicsFeatureExtractor:
    """An extractor with pyradiomics' defaults updated by `settings`, the Original image type only,
    and exactly `classes` enabled (all non-deprecated features of each)."""
    extractor = featureextractor.RadiomicsFeatureExtractor(**settings)
    extractor.disableAllImageTypes()
    extractor.enableImageTypeByName("Original")
    extractor.disableAllFeatures()
    for name in classes:
        extractor.enableFeatureClassByName(name)
    return extractor


def feature_values(result) -> dict:
    """pyradiomics' result without diagnostics, as plain floats keyed without the "original_" prefix.
    A NaN or infinite value becomes None (JSON null: JSON has no NaN, and JavaScript's JSON.parse
    rejects Python's NaN token)."""
    out = {}
    for key, value in result.items():
        if key.startswith("diagnostics_"):
            continue
        name = key[len(PREFIX) :] if key.startswith(PREFIX) else key
        number = float(numpy.asarray(value))
        out[name] = number if math.isfinite(number) else None
    return out


def number_argument(text: str):
    """An int when the value is integral (so the settings print as pyradiomics' own defaults do)."""
    value = float(text)
    return int(value) if value.is_integer() else value


def time_extraction(extractor, image_path: str, mask_path: str, label: int, repeat: int):
    """Runs the extraction `repeat` times. Returns (features of the last run, extraction-only seconds,
    seconds including sitk.ReadImage of image and mask, CPU seconds of the extraction (all threads of
    this process: less disturbed than wall time on a shared machine), {class: seconds inside that
    class per run})."""
    seconds, including_read, cpu, per_class = [], [], [], {}
    result = None
    for _ in range(repeat):
        _class_clock.clear()
        started = time.perf_counter()
        image = sitk.ReadImage(image_path)
        mask = sitk.ReadImage(mask_path)
        read_done = time.perf_counter()
        cpu_started = time.process_time()
        result = extractor.execute(image, mask, label=label)
        finished = time.perf_counter()
        cpu.append(time.process_time() - cpu_started)
        seconds.append(finished - read_done)
        including_read.append(finished - started)
        for name, spent in _class_clock.items():
            per_class.setdefault(name, []).append(spent)
    return feature_values(result), seconds, including_read, cpu, per_class


def time_classes(settings: dict, image_path: str, mask_path: str, label: int, repeat: int):
    """Each default class enabled alone, timed like the full extraction (image and mask read once,
    outside the timing). "none" is an extraction with no class enabled: the shared overhead (mask
    checks, cropping) that every per-class time also contains."""
    image = sitk.ReadImage(image_path)
    mask = sitk.ReadImage(mask_path)
    out = {}
    for name in ("none",) + DEFAULT_CLASSES:
        extractor = make_extractor(settings, () if name == "none" else (name,))
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            extractor.execute(image, mask, label=label)
            runs.append(time.perf_counter() - started)
        out[name] = runs
    return out


def run_peer(args) -> dict:
    # pyradiomics' defaults, except: binWidth from --bin-width (pyradiomics' default is 25 too),
    # voxelArrayShift from --voxel-array-shift (default 0 as in pyradiomics; its own baseline uses
    # 2000, which changes only firstorder Energy, TotalEnergy and RootMeanSquared), and
    # additionalInfo off: the diagnostics (SHA1 hashes of image and mask, image statistics) are no
    # features and would add their cost to the timing.
    settings = {
        "binWidth": args.bin_width,
        "voxelArrayShift": args.voxel_array_shift,
        "label": args.label,
        "additionalInfo": False,
    }
    extractor = make_extractor(settings, DEFAULT_CLASSES)
    features, seconds, including_read, cpu, compute = time_extraction(
        extractor, args.image, args.mask, args.label, args.repeat
    )
    doc = {
        "peer": f"pyradiomics {version('pyradiomics')}",
        "image": args.image,
        "mask": args.mask,
        "feature_count": len(features),
        "features": features,
        "seconds": seconds,
        "seconds_including_read": including_read,
        "median_seconds": statistics.median(seconds),
        "median_seconds_including_read": statistics.median(including_read),
        "min_seconds": min(seconds),
        "cpu_seconds": cpu,
        "median_cpu_seconds": statistics.median(cpu),
        "class_compute_seconds": compute,
        "class_compute_median_seconds": {k: statistics.median(v) for k, v in compute.items()},
        "settings": dict(extractor.settings),
        "enabled_image_types": dict(extractor.enabledImagetypes),
        "enabled_classes": list(extractor.enabledFeatures),
        "versions": {
            "python": sys.version.split()[0],
            "pyradiomics": version("pyradiomics"),
            "numpy": numpy.__version__,
            "SimpleITK": sitk.Version_VersionString(),
        },
        "simpleitk_threads": sitk.ProcessObject.GetGlobalDefaultNumberOfThreads(),
        "environment": {k: os.environ[k] for k in THREAD_VARIABLES if k in os.environ},
    }
    if not args.no_class_times:
        class_seconds = time_classes(settings, args.image, args.mask, args.label, args.repeat)
        doc["class_seconds"] = class_seconds
        doc["class_median_seconds"] = {k: statistics.median(v) for k, v in class_seconds.items()}
    return doc


def read_baseline(path: str, case: str):
    """(settings, {feature name without "original_": value}) of one column of a baseline CSV."""
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index(case)
    cells = {row[0]: row[column] for row in rows[1:]}
    settings = ast.literal_eval(cells["diagnostics_Configuration_Settings"])
    values = {
        key[len(PREFIX) :]: float(value)
        for key, value in cells.items()
        if key.startswith(PREFIX)
    }
    return settings, values


def relative_difference(ours: float, ref: float) -> float:
    if ours == ref:
        return 0.0
    scale = max(abs(ours), abs(ref))
    return abs(ours - ref) / scale if scale > 0 else 0.0


def check_baseline(args) -> dict:
    """Recomputes pyradiomics' own baseline per class and case."""
    report = {"peer": f"pyradiomics {version('pyradiomics')}", "tolerance": args.tolerance, "cases": {}}
    for case in args.case:
        image_path = os.path.join(args.check_baseline, f"{case}_image.nrrd")
        mask_path = os.path.join(args.check_baseline, f"{case}_label.nrrd")
        image, mask = sitk.ReadImage(image_path), sitk.ReadImage(mask_path)
        per_class = {}
        for name in DEFAULT_CLASSES:
            settings, reference = read_baseline(
                os.path.join(args.check_baseline, "baseline", f"baseline_{name}.csv"), case
            )
            settings = dict(settings, additionalInfo=False)
            extractor = make_extractor(settings, (name,))
            result = feature_values(extractor.execute(image, mask, label=settings["label"]))
            diffs = {
                feature: relative_difference(result[feature], ref)
                if result[feature] is not None
                else math.inf
                for feature, ref in reference.items()
                if feature in result
            }
            worst = max(diffs, key=diffs.get) if diffs else None
            per_class[name] = {
                "compared": len(diffs),
                "computed": len(result),
                "missing_in_baseline": sorted(set(result) - set(reference)),
                "missing_in_result": sorted(set(reference) - set(result)),
                "max_relative_difference": diffs[worst] if worst else None,
                "worst_feature": worst,
                "above_tolerance": {
                    f: {"computed": result[f], "baseline": reference[f], "relative_difference": d}
                    for f, d in diffs.items()
                    if d > args.tolerance
                },
            }
        report["cases"][case] = per_class
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--image")
    parser.add_argument("--mask")
    parser.add_argument("--label", type=int, default=1)
    parser.add_argument("--bin-width", type=number_argument, default=25)
    parser.add_argument("--voxel-array-shift", type=number_argument, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, help="SimpleITK's global default number of threads")
    parser.add_argument("--no-class-times", action="store_true", help="skip the per-class timings")
    parser.add_argument("--json", help="also write the JSON document to this file")
    parser.add_argument(
        "--check-baseline", metavar="DATA_DIR", help="recompute pyradiomics' baseline instead"
    )
    parser.add_argument("--case", action="append", help="baseline case(s), default brain1 and breast1")
    parser.add_argument("--tolerance", type=float, default=1e-6)
    args = parser.parse_args()
    if args.bin_width <= 0:
        parser.error("--bin-width must be positive")
    quiet_pyradiomics()
    instrument_feature_classes()
    if args.threads is not None:
        if args.threads < 1:
            parser.error("--threads must be at least 1")
        sitk.ProcessObject.SetGlobalDefaultNumberOfThreads(args.threads)

    if args.check_baseline:
        args.case = args.case or ["brain1", "breast1"]
        doc = check_baseline(args)
    else:
        if not args.image or not args.mask:
            parser.error("--image and --mask are required (or --check-baseline DATA_DIR)")
        if args.repeat < 1:
            parser.error("--repeat must be at least 1")
        doc = run_peer(args)

    text = json.dumps(doc, indent=1, allow_nan=False)
    if args.json:
        with open(args.json, "w") as handle:
            handle.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
