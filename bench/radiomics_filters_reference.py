"""pyradiomics' filtered image types on one image/mask: the reference of radlab's filters.

Runs pyradiomics' own extractor with its default settings (no resampling, no normalisation, bin
width 25, voxelArrayShift 0) and image types LoG (sigma 1.0, 2.0, 3.0 mm) and Wavelet (coif1,
start_level 0, level 1), first-order features only, and writes one JSON document: for each
pyradiomics image type name (log-sigma-1-0-mm-3D, wavelet-LLH, ...) the first-order Mean,
Variance, Minimum, Maximum, Skewness, Kurtosis and Energy inside the ROI; the settings; the
versions of pyradiomics, SimpleITK, PyWavelets and numpy; and the command that made it. Also, for
each wavelet radlab carries, PyWavelets' one-dimensional stationary transform (pywt.swt, levels 1
and 2) of a fixed 8-sample signal, which pins the filter taps, their alignment and the a trous
dilation.
kernel-lib/src/radiomics/filters/*.test.ts compare radlab's pyradiomicsLog and pyradiomicsWavelet
with it.

Usage (from the repository root, with bench/requirements-radiomics.txt installed in .venv):
  .venv/bin/python bench/radiomics_filters_reference.py \
      --image ../shared/data/radiomics/pyradiomics/data/brain1_image.nrrd \
      --mask ../shared/data/radiomics/pyradiomics/data/brain1_label.nrrd \
      --json kernel-lib/src/radiomics/filters/test-support/pyradiomics-filters-brain1.json
  npx prettier --write kernel-lib/src/radiomics/filters/test-support/pyradiomics-filters-brain1.json
(the second command gives the file the repository's formatting, which `make lint` checks).
"""

import argparse
import json
import logging
import math
import os
import sys
from importlib.metadata import version

import numpy
import pywt
import SimpleITK as sitk

import radiomics
from radiomics import featureextractor

FEATURES = ("Mean", "Variance", "Minimum", "Maximum", "Skewness", "Kurtosis", "Energy")
SIGMAS = [1.0, 2.0, 3.0]
# The wavelets of kernel-lib/src/radiomics/filters/wavelet-filters.ts.
WAVELETS = ("haar", "db2", "db3", "db4", "sym2", "sym3", "sym4", "coif1", "coif2")
SIGNAL = [3.0, -1.0, 4.0, 1.0, -5.0, 9.0, 2.0, -6.0]
WAVELET = {"wavelet": "coif1", "start_level": 0, "level": 1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--image", required=True)
    parser.add_argument("--mask", required=True)
    parser.add_argument("--label", type=int, default=1)
    parser.add_argument("--json", help="write here instead of stdout")
    args = parser.parse_args()

    radiomics.setVerbosity(logging.ERROR)
    extractor = featureextractor.RadiomicsFeatureExtractor(label=args.label)
    extractor.disableAllImageTypes()
    extractor.enableImageTypeByName("LoG", customArgs={"sigma": SIGMAS})
    extractor.enableImageTypeByName("Wavelet", customArgs=dict(WAVELET))
    extractor.disableAllFeatures()
    extractor.enableFeaturesByName(firstorder=list(FEATURES))
    result = extractor.execute(args.image, args.mask)

    images: dict = {}
    for key, value in result.items():
        if key.startswith("diagnostics_"):
            continue
        image_type, feature_class, feature = key.split("_", 2)
        assert feature_class == "firstorder", key
        number = float(numpy.asarray(value))
        images.setdefault(image_type, {})[feature] = number if math.isfinite(number) else None

    swt = {}
    for name in WAVELETS:
        (a2, d2), (a1, d1) = pywt.swt(numpy.array(SIGNAL), name, level=2)
        swt[name] = {"level1": {"a": a1.tolist(), "d": d1.tolist()}, "level2": {"a": a2.tolist(), "d": d2.tolist()}}

    relative = lambda p: os.path.relpath(os.path.abspath(p), os.getcwd())  # noqa: E731
    document = {
        "description": "pyradiomics' first-order features of its LoG and wavelet images inside the ROI, "
        "default settings (whole image filtered, no resampling or normalisation, voxelArrayShift 0)",
        "command": " ".join(["python", relative(sys.argv[0])] + [relative(a) if os.path.exists(a) else a for a in sys.argv[1:]]),
        "image": os.path.basename(args.image),
        "mask": os.path.basename(args.mask),
        "label": args.label,
        "settings": {"LoG": {"sigma": SIGMAS}, "Wavelet": WAVELET, "features": list(FEATURES)},
        "versions": {
            "pyradiomics": version("pyradiomics"),
            "SimpleITK": version("SimpleITK"),
            "ITK": sitk.Version.ITKVersionString(),
            "PyWavelets": version("PyWavelets"),
            "pywt.__version__": pywt.__version__,
            "numpy": version("numpy"),
        },
        "roiVoxels": int(result["diagnostics_Mask-original_VoxelNum"]),
        "images": images,
        "pywtSwt": {"signal": SIGNAL, "wavelets": swt},
    }
    text = json.dumps(document, indent=2) + "\n"
    if args.json:
        with open(args.json, "w") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
