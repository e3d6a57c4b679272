"""Reads a model folder written by anyone (ForgetLab's saving and export, here) with this reference's own loader
(config.json, model.safetensors or the shards of model.safetensors.index.json) and prints its float32 logits on the
given token ids as JSON: the check that a folder ForgetLab writes is one Hugging Face's layout defines.

    /usr/bin/python3 tests/reference/hf-models/forward.py FOLDER '[[1, 2, 3], [4, 5, 6]]'
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import write_models  # noqa: E402

if __name__ == "__main__":
    torch.set_num_threads(1)
    _, model = write_models.load_reference(sys.argv[1])
    with torch.no_grad():
        logits = model(torch.tensor(json.loads(sys.argv[2])))
    json.dump(logits.tolist(), sys.stdout)
