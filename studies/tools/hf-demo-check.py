#!/usr/bin/env python3
"""Loads a demo model folder with Hugging Face transformers and prints its greedy continuation of each prompt as JSON
token ids, in the shape of `steeropt generate --format json` ({"rows": [{"tokens": [...]}]}), so the two can be
compared. Usage: hf-demo-check.py MODEL_DIR MAX_NEW_TOKENS PROMPT [PROMPT ...]"""
import json
import sys

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def main():
    model_dir, max_new = sys.argv[1], int(sys.argv[2])
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, torch_dtype=torch.float32)
    model.eval()
    rows = []
    for prompt in sys.argv[3:]:
        ids = tok(prompt, return_tensors="pt").input_ids
        with torch.no_grad():
            out = model.generate(ids, max_new_tokens=max_new, do_sample=False,
                                 eos_token_id=model.generation_config.eos_token_id, pad_token_id=tok.pad_token_id)
        new = out[0, ids.shape[1]:].tolist()
        eos = model.generation_config.eos_token_id
        eos = set(eos if isinstance(eos, list) else [eos])
        if new and new[-1] in eos:
            new = new[:-1]
        rows.append({"tokens": new})
    print(json.dumps({"rows": rows}))


if __name__ == "__main__":
    main()
